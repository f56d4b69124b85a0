package ai.pintxo.weaver.substreams;

/** A Substreams package that cannot be read or used; the message names the package and what is wrong. */
final class PackageException extends IllegalArgumentException {

  public PackageException(String message) {
    super(message);
  }

  public PackageException(String message, Throwable cause) {
    super(message, cause);
  }
}
