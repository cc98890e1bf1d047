package io.studiocp.hosts.aws;

import io.studiocp.hosts.pool.PoolQueues;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.platform.AwsFailures;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The pool's claim queues as SQS standard queues: 5 minutes' retention, 60 s visibility. */
public final class SqsPoolQueues implements PoolQueues {

  static final Map<QueueAttributeName, String> ATTRIBUTES = Map.of(
      QueueAttributeName.MESSAGE_RETENTION_PERIOD, "300",
      QueueAttributeName.VISIBILITY_TIMEOUT, "60",
      QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true");

  private final SqsClient sqs;

  public SqsPoolQueues(SqsClient sqs) {
    this.sqs = sqs;
  }

  @Override
  public String ensure(String queueName) {
    try {
      // CreateQueue with the same attributes returns the existing queue's URL.
      return sqs.createQueue(r -> r.queueName(queueName).attributes(ATTRIBUTES)
          .tags(Map.of(io.studiocp.hosts.HostTags.MANAGED, "true"))).queueUrl();
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateQueue " + queueName, e);
    }
  }

  @Override
  public void send(String queueName, String body) {
    String url;
    try {
      url = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      throw new ProvisioningException("the pool's queue " + queueName + " does not exist");
    } catch (AwsServiceException e) {
      String code = AwsFailures.code(e);
      if (code != null && (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist"))) {
        throw new ProvisioningException("the pool's queue " + queueName + " does not exist");
      }
      throw AwsFailures.classify("GetQueueUrl " + queueName, e);
    } catch (SdkException e) {
      throw AwsFailures.classify("GetQueueUrl " + queueName, e);
    }
    try {
      sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
    } catch (SdkException e) {
      throw AwsFailures.classify("SendMessage " + queueName, e);
    }
  }
}
