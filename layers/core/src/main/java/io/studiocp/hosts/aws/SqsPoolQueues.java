package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostTags;
import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsFailures;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The pool's claim queues as SQS standard queues (5 minutes' retention, 60 s visibility), and its
 * ticket queues as FIFO queues: each ticket in a message group of its own (a ticket being taken
 * does not hold the others back), deduplicated by the host's instance id, kept 14 days (SQS's most;
 * the keeper replaces pool hosts before that), 30 s invisible once taken.
 */
public final class SqsPoolQueues implements PoolQueues {

  static final Map<QueueAttributeName, String> ATTRIBUTES = Map.of(
      QueueAttributeName.MESSAGE_RETENTION_PERIOD, "300",
      QueueAttributeName.VISIBILITY_TIMEOUT, "60",
      QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true");

  static final Map<QueueAttributeName, String> TICKET_ATTRIBUTES = Map.of(
      QueueAttributeName.FIFO_QUEUE, "true",
      QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600",
      QueueAttributeName.VISIBILITY_TIMEOUT, "30",
      QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true");

  private final SqsClient sqs;
  /**
   * Queue URLs by name, as SQS answered them: a queue's URL is its account, region and name, the
   * same for as long as the queue lives (and for one made again under its name), so a warm function
   * asks once. A call that finds a known queue gone forgets it and answers as a lookup that found
   * none would.
   */
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  public SqsPoolQueues(SqsClient sqs) {
    this.sqs = sqs;
  }

  @Override
  public String ensure(String queueName) {
    return create(queueName, ATTRIBUTES);
  }

  @Override
  public void ensureTickets(String ticketsName) {
    create(ticketsName, TICKET_ATTRIBUTES);
  }

  private String create(String queueName, Map<QueueAttributeName, String> attributes) {
    try {
      // CreateQueue with the same attributes returns the existing queue's URL.
      String url = sqs.createQueue(r -> r.queueName(queueName).attributes(attributes)
          .tags(Map.of(HostTags.MANAGED, "true"))).queueUrl();
      urls.put(queueName, url);
      return url;
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateQueue " + queueName, e);
    }
  }

  @Override
  public void send(String queueName, String body) {
    String url = url(queueName).orElseThrow(() ->
        new ProvisioningException("the pool's queue " + queueName + " does not exist"));
    try {
      sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
    } catch (AwsServiceException e) {
      if (missingQueue(e)) {
        urls.remove(queueName);
        throw new ProvisioningException("the pool's queue " + queueName + " does not exist");
      }
      throw AwsFailures.classify("SendMessage " + queueName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("SendMessage " + queueName, e);
    }
  }

  @Override
  public boolean exists(String queueName) {
    return url(queueName).isPresent();
  }

  @Override
  public void addTicket(String ticketsName, String instanceId, String deduplication) {
    String url = url(ticketsName).orElseThrow(() ->
        new ProvisioningException("the pool's ticket queue " + ticketsName + " does not exist"));
    try {
      sqs.sendMessage(r -> r.queueUrl(url).messageBody(instanceId).messageGroupId(instanceId)
          .messageDeduplicationId(deduplication));
    } catch (AwsServiceException e) {
      if (missingQueue(e)) {
        urls.remove(ticketsName);
        throw new ProvisioningException("the pool's ticket queue " + ticketsName + " does not exist");
      }
      throw AwsFailures.classify("SendMessage " + ticketsName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("SendMessage " + ticketsName, e);
    }
  }

  @Override
  public int ticketCount(String ticketsName) {
    Optional<String> url = url(ticketsName);
    if (url.isEmpty()) {
      return 0;
    }
    try {
      Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(url.get()).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      return Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
          + Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    } catch (AwsServiceException e) {
      if (missingQueue(e)) {
        urls.remove(ticketsName);
        return 0;
      }
      throw AwsFailures.classify("GetQueueAttributes " + ticketsName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("GetQueueAttributes " + ticketsName, e);
    }
  }

  @Override
  public Optional<Ticket> takeTicket(String ticketsName) {
    Optional<String> url = url(ticketsName);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    try {
      return sqs.receiveMessage(r -> r.queueUrl(url.get()).maxNumberOfMessages(1).waitTimeSeconds(0))
          .messages().stream().findFirst().map(Message::receiptHandle).map(receipt -> new Ticket(url.get(), receipt));
    } catch (AwsServiceException e) {
      if (missingQueue(e)) {
        urls.remove(ticketsName);
        return Optional.empty();
      }
      throw AwsFailures.classify("ReceiveMessage " + ticketsName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("ReceiveMessage " + ticketsName, e);
    }
  }

  @Override
  public void spend(Ticket ticket) {
    try {
      sqs.deleteMessage(r -> r.queueUrl(ticket.queue()).receiptHandle(ticket.receipt()));
    } catch (SdkException e) {
      throw AwsFailures.classify("DeleteMessage " + ticket.queue(), e);
    }
  }

  @Override
  public void release(Ticket ticket) {
    try {
      sqs.changeMessageVisibility(r -> r.queueUrl(ticket.queue()).receiptHandle(ticket.receipt())
          .visibilityTimeout(0));
    } catch (SdkException e) {
      throw AwsFailures.classify("ChangeMessageVisibility " + ticket.queue(), e);
    }
  }

  private Optional<String> url(String queueName) {
    String known = urls.get(queueName);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      String url = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
      urls.put(queueName, url);
      return Optional.of(url);
    } catch (AwsServiceException e) {
      if (missingQueue(e)) {
        return Optional.empty();
      }
      throw AwsFailures.classify("GetQueueUrl " + queueName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("GetQueueUrl " + queueName, e);
    }
  }

  private static boolean missingQueue(AwsServiceException e) {
    if (e instanceof QueueDoesNotExistException) {
      return true;
    }
    String code = AwsFailures.code(e);
    return code != null && (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist"));
  }
}
