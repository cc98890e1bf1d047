package io.studiocp.ssh;

/**
 * SageMaker's own remote access to a space: {@code sagemaker:StartSession} on the space's ARN, which
 * answers a Session Manager stream (what the Session Manager plugin on the laptop connects to).
 */
public interface SpaceSessions {

  /**
   * A session to the space's running app, as SageMaker answers StartSession.
   *
   * @throws io.studiocp.platform.Rejection when SageMaker refuses for a reason the caller can fix
   */
  SpaceSession start(String spaceArn);

  /**
   * StartSession's answer: what {@code session-manager-plugin} takes as its first argument.
   *
   * @param tokenValue a credential for this one stream: handed to the caller, never logged
   */
  record SpaceSession(String sessionId, String streamUrl, String tokenValue) {

    @Override
    public String toString() {
      return "SpaceSession[" + sessionId + "]";
    }
  }
}
