package io.studiocp.hosts.aws;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.aws.Ec2Query.Call;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsQueryClient;
import io.studiocp.platform.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link HostCommands} as {@link Ec2Hosts} makes them, over the lean EC2 client ({@link Ec2Query}):
 * the same calls with the same parameters, without the SDK's EC2 model and request pipeline. A
 * claim's user waits for every call MarkReady makes (the adoption's attributes and tags), so that
 * step changes hosts through this adapter.
 */
public final class LeanEc2HostCommands implements HostCommands {

  private final AwsQueryClient ec2;

  public LeanEc2HostCommands(AwsQueryClient ec2) {
    this.ec2 = ec2;
  }

  @Override
  public void tag(List<String> instanceIds, Map<String, String> tags) {
    if (instanceIds.isEmpty()) {
      return;
    }
    AwsQueryClient.Parameters parameters = new AwsQueryClient.Parameters().list("ResourceId", instanceIds);
    int n = 0;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      n++;
      parameters.add("Tag." + n + ".Key", tag.getKey()).add("Tag." + n + ".Value", tag.getValue());
    }
    call(Call.CreateTags, parameters, "CreateTags " + instanceIds);
  }

  @Override
  public void untag(List<String> instanceIds, Collection<String> keys) {
    if (instanceIds.isEmpty() || keys.isEmpty()) {
      return;
    }
    AwsQueryClient.Parameters parameters = new AwsQueryClient.Parameters().list("ResourceId", instanceIds);
    int n = 0;
    for (String key : keys) {
      parameters.add("Tag." + ++n + ".Key", key);
    }
    call(Call.DeleteTags, parameters, "DeleteTags " + instanceIds);
  }

  @Override
  public void replaceSecurityGroups(String instanceId, List<String> groupIds) {
    call(Call.ModifyInstanceAttribute, new AwsQueryClient.Parameters().add("InstanceId", instanceId)
        .list("GroupId", groupIds), "ModifyInstanceAttribute " + instanceId + " groups");
  }

  @Override
  public void stopOnShutdown(String instanceId) {
    // The Attribute/Value form (moto knows only it for this attribute; EC2 takes both).
    call(Call.ModifyInstanceAttribute, new AwsQueryClient.Parameters().add("InstanceId", instanceId)
        .add("Attribute", "instanceInitiatedShutdownBehavior").add("Value", "stop"),
        "ModifyInstanceAttribute " + instanceId + " shutdown behaviour");
  }

  @Override
  public void terminate(List<String> instanceIds) {
    if (!instanceIds.isEmpty()) {
      AwsFailures.absentWhen(Ec2Query.INSTANCE_NOT_FOUND, null, "TerminateInstances " + instanceIds, () ->
          ec2.call(Call.TerminateInstances, new AwsQueryClient.Parameters().list("InstanceId", instanceIds)));
    }
  }

  @Override
  public void stop(List<String> instanceIds) {
    if (!instanceIds.isEmpty()) {
      call(Call.StopInstances, new AwsQueryClient.Parameters().list("InstanceId", instanceIds),
          "StopInstances " + instanceIds);
    }
  }

  @Override
  public void start(List<String> instanceIds) {
    if (!instanceIds.isEmpty()) {
      call(Call.StartInstances, new AwsQueryClient.Parameters().list("InstanceId", instanceIds),
          "StartInstances " + instanceIds);
    }
  }

  @Override
  public Optional<String> bootScript(String instanceId) {
    XmlElement answer = AwsFailures.absentWhen(Ec2Query.INSTANCE_NOT_FOUND, null, "DescribeInstanceAttribute " + instanceId, () ->
        ec2.call(Call.DescribeInstanceAttribute, new AwsQueryClient.Parameters().add("InstanceId", instanceId)
            .add("Attribute", "userData")));
    String value = answer == null ? null : answer.child("userData").map(u -> u.text("value")).orElse(null);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(UserData.decode(value));
  }

  @Override
  public void replaceBootScript(String instanceId, String script) {
    // EC2 takes the value base64-encoded, as RunInstances does, and the query protocol carries a blob
    // base64-encoded once more (as the SDK sends it); EC2, like moto, unwraps that layer itself.
    String blob = Base64.getEncoder().encodeToString(UserData.encode(script).getBytes(StandardCharsets.UTF_8));
    call(Call.ModifyInstanceAttribute, new AwsQueryClient.Parameters().add("InstanceId", instanceId)
        .add("UserData.Value", blob), "ModifyInstanceAttribute " + instanceId);
  }

  private void call(Call call, AwsQueryClient.Parameters parameters, String what) {
    try {
      ec2.call(call, parameters);
    } catch (SdkException e) {
      throw AwsFailures.classify(what, e);
    }
  }
}
