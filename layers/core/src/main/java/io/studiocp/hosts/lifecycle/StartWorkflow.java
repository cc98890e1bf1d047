package io.studiocp.hosts.lifecycle;

/** The {@code StartHost} state machine, seen from the API. */
public interface StartWorkflow {

  /**
   * Starts an execution for this start of the host; the same {@code requestKey} finds the
   * execution a previous identical request started.
   */
  void start(StartInput input, String requestKey);
}
