package io.studiocp.testkit.fakes;

import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.hosts.provisioning.ProvisioningException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pool's queues in memory: what was created, the messages each holds, and the ticket queues'
 * tickets (taken ones invisible until spent or released; one ticket per instance id).
 */
public final class InMemoryPoolQueues implements PoolQueues {

  private final Map<String, List<String>> queues = new LinkedHashMap<>();
  private final Map<String, Deque<String>> tickets = new LinkedHashMap<>();
  private final Map<String, String> taken = new LinkedHashMap<>();
  private final Set<String> ticketed = new LinkedHashSet<>();
  private int receipts;
  private RuntimeException sendFailure;

  @Override
  public synchronized void ensureTickets(String ticketsName) {
    tickets.computeIfAbsent(ticketsName, q -> new ArrayDeque<>());
  }

  @Override
  public synchronized void addTicket(String ticketsName, String instanceId, String deduplication) {
    Deque<String> queue = tickets.get(ticketsName);
    if (queue == null) {
      throw new ProvisioningException("the pool's ticket queue " + ticketsName + " does not exist");
    }
    if (ticketed.add(ticketsName + "/" + deduplication)) {
      queue.addLast(instanceId);
    }
  }

  @Override
  public synchronized int ticketCount(String ticketsName) {
    String prefix = ticketsName + "\n";
    return tickets.getOrDefault(ticketsName, new ArrayDeque<>()).size()
        + (int) taken.values().stream().filter(t -> t.startsWith(prefix)).count();
  }

  @Override
  public synchronized Optional<Ticket> takeTicket(String ticketsName) {
    Deque<String> queue = tickets.get(ticketsName);
    if (queue == null || queue.isEmpty()) {
      return Optional.empty();
    }
    String receipt = "rh-" + (++receipts);
    taken.put(receipt, ticketsName + "\n" + queue.removeFirst());
    return Optional.of(new Ticket(ticketsName, receipt));
  }

  @Override
  public synchronized void spend(Ticket ticket) {
    taken.remove(ticket.receipt());
  }

  @Override
  public synchronized void release(Ticket ticket) {
    String held = taken.remove(ticket.receipt());
    if (held != null) {
      tickets.get(ticket.queue()).addFirst(held.substring(held.indexOf('\n') + 1));
    }
  }

  /** The tickets a ticket queue holds now (not those taken). */
  public synchronized List<String> tickets(String ticketsName) {
    return List.copyOf(tickets.getOrDefault(ticketsName, new ArrayDeque<>()));
  }

  @Override
  public synchronized String ensure(String queueName) {
    queues.computeIfAbsent(queueName, q -> new ArrayList<>());
    return url(queueName);
  }

  @Override
  public synchronized void send(String queueName, String body) {
    List<String> messages = queues.get(queueName);
    if (messages == null) {
      throw new ProvisioningException("the pool's queue " + queueName + " does not exist");
    }
    if (sendFailure != null) {
      throw sendFailure;
    }
    messages.add(body);
  }

  @Override
  public synchronized boolean exists(String queueName) {
    return queues.containsKey(queueName);
  }

  /** Makes every send fail with {@code failure} (SQS refusing it), as the claim queue stays. */
  public synchronized void failSends(RuntimeException failure) {
    sendFailure = failure;
  }

  public static String url(String queueName) {
    return "https://sqs.us-east-1.amazonaws.com/123456789012/" + queueName;
  }

  public List<String> queueNames() {
    return List.copyOf(queues.keySet());
  }

  public List<String> messages(String queueName) {
    return List.copyOf(queues.getOrDefault(queueName, List.of()));
  }
}
