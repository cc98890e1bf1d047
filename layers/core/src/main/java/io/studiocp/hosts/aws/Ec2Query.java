package io.studiocp.hosts.aws;

import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsOperation;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EC2 as the lean adapters call it ({@link AwsQueryClient}: the query protocol, XML answers read
 * field by field), without the SDK's EC2 model: the operations a host request and the Prepare step
 * make on their first invocation, and the host commands MarkReady makes while a claim's user waits
 * ({@link LeanEc2HostCommands}). The other EC2 calls (launching, the police's and the cleanup's
 * reads and changes) stay on the SDK's client.
 */
public final class Ec2Query {

  /** EC2's query protocol, as botocore's model describes it. */
  public static final AwsQueryClient.Service EC2 = new AwsQueryClient.Service("EC2", "ec2", "ec2", "2016-11-15");

  /** The operations the lean adapters call (their names are EC2's). */
  enum Call implements AwsOperation {
    AuthorizeSecurityGroupIngress, CreateSecurityGroup, CreateTags, DeleteSecurityGroup, DeleteTags, DescribeImages,
    DescribeInstanceAttribute, DescribeInstanceTypeOfferings, DescribeInstanceTypes, DescribeInstances,
    DescribeSecurityGroups, DescribeSubnets, ModifyInstanceAttribute, StartInstances, StopInstances, TerminateInstances;

    static final String IAM_PREFIX = "ec2";
  }

  /** EC2's refusal of an instance id it does not know (TerminateInstances, DescribeInstanceAttribute). */
  static final Set<String> INSTANCE_NOT_FOUND = Set.of("InvalidInstanceID.NotFound");

  /** A DescribeInstances of one id: EC2 refuses an unknown id, and a malformed one, rather than answer nothing. */
  static final Set<String> UNKNOWN_INSTANCE = Set.of("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed");

  private Ec2Query() {}

  /** The function's lean EC2 client: its region, credentials, HTTP client, retries and endpoint override. */
  public static AwsQueryClient client(AwsClients aws) {
    return aws.query(EC2);
  }

  /**
   * Every {@code item} of the answers' list {@code listName}, following {@code nextToken} as the
   * SDK's paginators do (until it is absent or empty).
   */
  static List<XmlElement> all(AwsQueryClient ec2, Call call, AwsQueryClient.Parameters parameters, String listName) {
    List<XmlElement> items = new ArrayList<>();
    String token = null;
    do {
      XmlElement answer = ec2.call(call, parameters.copy().add("NextToken", token));
      items.addAll(answer.items(listName));
      token = answer.text("nextToken");
    } while (token != null && !token.isEmpty());
    return items;
  }

  /** A resource's tags ({@code tagSet}), in EC2's order. */
  static Map<String, String> tags(XmlElement resource) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (XmlElement tag : resource.items("tagSet")) {
      tags.put(tag.text("key"), tag.text("value") == null ? "" : tag.text("value"));
    }
    return tags;
  }

  /** {@code TagSpecification.1} of a create call: the resource type and its tags. */
  static AwsQueryClient.Parameters tagSpecification(AwsQueryClient.Parameters parameters, String resourceType,
      Map<String, String> tags) {
    parameters.add("TagSpecification.1.ResourceType", resourceType);
    int n = 0;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      n++;
      parameters.add("TagSpecification.1.Tag." + n + ".Key", tag.getKey());
      parameters.add("TagSpecification.1.Tag." + n + ".Value", tag.getValue());
    }
    return parameters;
  }
}
