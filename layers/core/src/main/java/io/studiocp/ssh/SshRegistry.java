package io.studiocp.ssh;

import io.studiocp.studio.StudioUser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What SSH needs of SSM: the control plane's hybrid activations and the managed nodes registered
 * with them (those whose IAM role is the control plane's activation role). A node or activation
 * that is already gone is not an error to deregister or delete.
 */
public interface SshRegistry {

  /** An activation to create: one registration, until {@code expiresAt}, with these tags. */
  record NewActivation(String description, String defaultInstanceName, Instant expiresAt, Map<String, String> tags) {

    public NewActivation {
      tags = Map.copyOf(tags);
    }
  }

  /** A created activation: the code goes to the agent that registers, once. */
  record Created(String activationId, String activationCode) {}

  Created create(NewActivation activation);

  /** The control plane's activations that are not deleted (every page). */
  List<SshActivation> activations();

  /** Every node registered with the control plane's activations, with its tags. */
  List<SshNode> nodes();

  /** The nodes tagged with this owner that are the control plane's. */
  List<SshNode> nodesOf(StudioUser owner);

  /** One node, if it exists and is the control plane's. */
  Optional<SshNode> node(String instanceId);

  void tag(String instanceId, Map<String, String> tags);

  void deregister(String instanceId);

  void deleteActivation(String activationId);

  /** The region the agent registers in ({@code -region}). */
  String region();
}
