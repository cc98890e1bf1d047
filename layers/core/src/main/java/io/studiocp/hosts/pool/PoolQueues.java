package io.studiocp.hosts.pool;

import java.util.Locale;

/**
 * The warm pool's claim queues: one per domain and instance type; pool hosts of that domain and
 * type wait on it, a claim is one message on it. Messages live minutes, not days: a claim nobody
 * took in time has fallen back to a fresh launch anyway.
 */
public interface PoolQueues {

  /** The queue of a domain's pool of one instance type. */
  static String name(String domainId, String instanceType) {
    return ("studiocp-pool-" + domainId + "-" + instanceType.replace('.', '-')).toLowerCase(Locale.ROOT);
  }

  /** Creates the queue if it is missing (idempotent) and returns its URL. */
  String ensure(String queueName);

  /**
   * Sends one message to an existing queue.
   *
   * @throws io.studiocp.hosts.provisioning.ProvisioningException when the queue does not exist
   */
  void send(String queueName, String body);
}
