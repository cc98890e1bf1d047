package io.studiocp.hosts.pool;

import java.util.Locale;
import java.util.Optional;

/**
 * The warm pool's queues, per domain and instance type. The claim queue: pool hosts of that domain
 * and type wait on it, a claim is one message on it; messages live minutes, not days (a claim
 * nobody took in time has fallen back to a fresh launch anyway). The ticket queue (FIFO): one
 * ticket per pool host not yet claimed, put there when it is launched; a claim first takes a
 * ticket, and exactly one claim can take each, so a claim that finds none launches a fresh host at
 * once instead of waiting on the claim queue for a host that another claim has.
 */
public interface PoolQueues {

  /** A ticket taken from a pool's ticket queue: invisible to other claims until spent or released ({@code queue} as the adapter addresses it). */
  record Ticket(String queue, String receipt) {}

  /** The claim queue of a domain's pool of one instance type. */
  static String name(String domainId, String instanceType) {
    return ("studiocp-pool-" + domainId + "-" + instanceType.replace('.', '-')).toLowerCase(Locale.ROOT);
  }

  /**
   * The ticket queue of a domain's pool of one instance type: FIFO (no ticket is ever delivered
   * twice), and not under {@code studiocp-pool-*}, which hosts may receive from.
   */
  static String ticketsName(String domainId, String instanceType) {
    return ("studiocp-free-" + domainId + "-" + instanceType.replace('.', '-')).toLowerCase(Locale.ROOT) + ".fifo";
  }

  /** Creates the claim queue if it is missing (idempotent) and returns its URL. */
  String ensure(String queueName);

  /**
   * Sends one message to an existing claim queue.
   *
   * @throws io.studiocp.hosts.provisioning.ProvisioningException when the queue does not exist
   */
  void send(String queueName, String body);

  /** Whether the claim queue exists: what {@link #send} needs (a claim learns it before it spends a ticket). */
  boolean exists(String queueName);

  /** Creates the ticket queue if it is missing (idempotent). */
  void ensureTickets(String ticketsName);

  /**
   * Puts a ticket for one pool host. The same {@code deduplication} twice within 5 minutes (a
   * retried launch returns the same host) gives one ticket.
   */
  void addTicket(String ticketsName, String instanceId, String deduplication);

  /** How many tickets the queue holds, taken ones included (SQS's approximate counts); 0 without a queue. */
  int ticketCount(String ticketsName);

  /** Takes a ticket if one is there now (no waiting); empty when none is, or the queue does not exist. */
  Optional<Ticket> takeTicket(String ticketsName);

  /** Deletes a taken ticket: its host is claimed, or retired. */
  void spend(Ticket ticket);

  /** Puts a taken ticket back at once (the claim could not be sent). */
  void release(Ticket ticket);
}
