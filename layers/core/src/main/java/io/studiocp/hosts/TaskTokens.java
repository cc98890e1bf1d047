package io.studiocp.hosts;

import java.util.Optional;

/** Finds the task token a host was launched with (it is in the host's user data). */
public interface TaskTokens {

  Optional<String> taskTokenOf(String instanceId);
}
