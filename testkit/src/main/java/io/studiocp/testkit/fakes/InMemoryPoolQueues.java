package io.studiocp.testkit.fakes;

import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.hosts.provisioning.ProvisioningException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pool's queues in memory: what was created, and the messages each holds. */
public final class InMemoryPoolQueues implements PoolQueues {

  private final Map<String, List<String>> queues = new LinkedHashMap<>();

  @Override
  public String ensure(String queueName) {
    queues.computeIfAbsent(queueName, q -> new ArrayList<>());
    return url(queueName);
  }

  @Override
  public void send(String queueName, String body) {
    List<String> messages = queues.get(queueName);
    if (messages == null) {
      throw new ProvisioningException("the pool's queue " + queueName + " does not exist");
    }
    messages.add(body);
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
