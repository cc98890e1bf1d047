package io.studiocp.ssh.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.Rejection;
import io.studiocp.ssh.SpaceSessions;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.StartSessionResponse;

/**
 * {@link SpaceSessions} over SageMaker's {@code StartSession}. Its refusals the caller can act on
 * (the space gone, a session limit, remote access refused) become rejections in SageMaker's words.
 */
public final class SageMakerSpaceSessions implements SpaceSessions {

  private final SageMakerClient sagemaker;

  public SageMakerSpaceSessions(SageMakerClient sagemaker) {
    this.sagemaker = sagemaker;
  }

  @Override
  public SpaceSession start(String spaceArn) {
    try {
      StartSessionResponse r = sagemaker.startSession(s -> s.resourceIdentifier(spaceArn));
      return new SpaceSession(r.sessionId(), r.streamUrl(), r.tokenValue());
    } catch (ResourceNotFoundException e) {
      throw Rejection.notFound("SageMaker finds no space to start a session in: " + message(e));
    } catch (ResourceLimitExceededException e) {
      throw Rejection.conflict("SessionLimitExceeded", "SageMaker refuses another session: " + message(e));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400 && "ValidationException".equals(AwsFailures.code(e))) {
        throw Rejection.conflict("RemoteSessionRefused", "SageMaker refuses a remote session to the space: "
            + message(e));
      }
      throw AwsFailures.classify("StartSession " + spaceArn, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("StartSession " + spaceArn, e);
    }
  }

  private static String message(AwsServiceException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorMessage() : e.getMessage();
  }
}
