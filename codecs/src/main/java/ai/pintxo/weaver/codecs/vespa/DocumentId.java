package ai.pintxo.weaver.codecs.vespa;

/**
 * A Vespa document id {@code id:<namespace>:<documentType>::<userSpecific>}. The user-specific
 * part may hold any character (space, {@code /}, {@code ?}, {@code #}, {@code %}, non-ASCII);
 * the transport encodes it for the URL.
 *
 * @param namespace    e.g. {@code pintxo}
 * @param documentType e.g. {@code protocol}
 * @param userSpecific e.g. {@code Uniswap V3}
 */
public record DocumentId(String namespace, String documentType, String userSpecific) {

  public DocumentId {
    requireName(namespace, "namespace");
    requireName(documentType, "documentType");
    if (userSpecific == null || userSpecific.isEmpty()) {
      throw new IllegalArgumentException("document id of type '" + documentType + "' has an empty user-specific part");
    }
  }

  /** @return the id in the {@code pintxo} namespace of the original system */
  public static DocumentId pintxo(String documentType, String userSpecific) {
    return new DocumentId("pintxo", documentType, userSpecific);
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isEmpty() || value.indexOf(':') >= 0 || value.indexOf('/') >= 0) {
      throw new IllegalArgumentException("document id " + what + " must be non-empty without ':' or '/', was '" + value + "'");
    }
  }

  // Written out: the feeder keys its per-document map by id, and the record's generated methods go
  // through method handles (casts and a bootstrap per call site) that showed in its profile.
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof DocumentId other && userSpecific.equals(other.userSpecific)
        && documentType.equals(other.documentType) && namespace.equals(other.namespace);
  }

  @Override
  public int hashCode() {
    return (namespace.hashCode() * 31 + documentType.hashCode()) * 31 + userSpecific.hashCode();
  }

  @Override
  public String toString() {
    return "id:" + namespace + ":" + documentType + "::" + userSpecific;
  }
}
