package ai.pintxo.weaver.codecs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a record component becomes a Vespa field when the generic processor
 * ({@code RecordDocumentProcessor}) writes the record, where the default does not fit. By default a
 * component is written to the field of its name, with the type its Java type implies, and left out when null.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface VespaField {

  /** Marks "not set" for the text attributes. */
  String UNSET = "\u0000";

  /** @return the Vespa field name, when it is not the component's name */
  String name() default UNSET;

  /**
   * @return the Vespa type to write, when it differs from what the Java type implies: only
   *     {@code double} for an exact number (BigDecimal, BigInteger) ranked on as a double
   */
  String type() default UNSET;

  /** @return the value written when the component is null, in the component's type (e.g. {@code ""}, {@code 0}) */
  String ifNull() default UNSET;

  /** @return true for a component carried on the topic that Vespa does not hold */
  boolean skip() default false;
}
