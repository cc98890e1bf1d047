package io.studiocp.platform;

import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Tells a failure that may pass (worth a retry) from one that will not. */
public final class AwsFailures {

  private static final Set<String> TRANSIENT_CODES = Set.of("Throttling", "ThrottlingException",
      "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled",
      "RequestThrottledException", "ServiceUnavailable", "InternalError", "InternalFailure",
      "InsufficientInstanceCapacity", "Unavailable", "ProvisionedThroughputExceededException");

  private AwsFailures() {}

  public static boolean isTransient(SdkException e) {
    if (e instanceof SdkClientException) {
      return true;
    }
    if (e instanceof AwsServiceException service) {
      if (service.isThrottlingException() || service.statusCode() >= 500) {
        return true;
      }
      return service.awsErrorDetails() != null
          && TRANSIENT_CODES.contains(service.awsErrorDetails().errorCode());
    }
    return false;
  }

  /** The AWS error code, or the exception's class name when AWS gave none. */
  public static String code(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  /**
   * Makes a call whose refusal with one of {@code absentCodes} (an unknown instance, say) means
   * there is nothing: that refusal gives {@code absent}; any other failure is {@link #classify classified}.
   */
  public static <T> T absentWhen(Set<String> absentCodes, T absent, String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      if (e instanceof AwsServiceException && absentCodes.contains(code(e))) {
        return absent;
      }
      throw classify(doing, e);
    }
  }

  /** Rethrows a transient failure as {@link TransientAwsException}, others unchanged. */
  public static RuntimeException classify(String doing, SdkException e) {
    if (isTransient(e)) {
      return new TransientAwsException(doing + " failed for now (" + code(e) + "); it will be retried", e);
    }
    return e;
  }
}
