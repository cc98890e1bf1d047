package io.studiocp.admin;

import io.studiocp.hosts.HostCommands;
import io.studiocp.hosts.HostId;
import io.studiocp.hosts.ProvisioningInput;
import io.studiocp.hosts.ProvisioningWorkflow;
import io.studiocp.hosts.WorkflowRun;
import io.studiocp.hosts.lifecycle.StartInput;
import io.studiocp.hosts.lifecycle.StartWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Stands between the lifecycle use cases and AWS and writes down every change they make, one line
 * each. In a dry run it passes nothing on, so the same use case, with the same checks and the same
 * refusals, says what it would do and changes nothing; otherwise it passes every change on, and
 * the lines are what the audit log records. Reads always go through.
 */
final class Recorder {

  private final boolean dryRun;
  private final List<String> changes = new ArrayList<>();

  Recorder(boolean dryRun) {
    this.dryRun = dryRun;
  }

  List<String> changes() {
    return List.copyOf(changes);
  }

  private boolean note(String change) {
    changes.add(change);
    return !dryRun;
  }

  HostCommands commands(HostCommands real) {
    return new HostCommands() {
      @Override
      public void tag(List<String> instanceIds, Map<String, String> tags) {
        if (!instanceIds.isEmpty() && note("tag " + String.join(",", instanceIds) + " " + new TreeMap<>(tags))) {
          real.tag(instanceIds, tags);
        }
      }

      @Override
      public void untag(List<String> instanceIds, java.util.Collection<String> keys) {
        if (!instanceIds.isEmpty() && note("untag " + String.join(",", instanceIds) + " " + new java.util.TreeSet<>(keys))) {
          real.untag(instanceIds, keys);
        }
      }

      @Override
      public void replaceSecurityGroups(String instanceId, List<String> groupIds) {
        if (note("replace the security groups of " + instanceId + " with " + groupIds)) {
          real.replaceSecurityGroups(instanceId, groupIds);
        }
      }

      @Override
      public void stopOnShutdown(String instanceId) {
        if (note("make a shutdown inside " + instanceId + " stop it")) {
          real.stopOnShutdown(instanceId);
        }
      }

      @Override
      public void terminate(List<String> instanceIds) {
        if (!instanceIds.isEmpty() && note("terminate " + String.join(",", instanceIds))) {
          real.terminate(instanceIds);
        }
      }

      @Override
      public void stop(List<String> instanceIds) {
        if (!instanceIds.isEmpty() && note("stop " + String.join(",", instanceIds))) {
          real.stop(instanceIds);
        }
      }

      @Override
      public void start(List<String> instanceIds) {
        if (!instanceIds.isEmpty() && note("start " + String.join(",", instanceIds))) {
          real.start(instanceIds);
        }
      }

      @Override
      public Optional<String> bootScript(String instanceId) {
        return real.bootScript(instanceId);
      }

      @Override
      public void replaceBootScript(String instanceId, String script) {
        if (note("replace the boot script of " + instanceId)) {
          real.replaceBootScript(instanceId, script);
        }
      }
    };
  }

  ProvisioningWorkflow workflow(ProvisioningWorkflow real) {
    return new ProvisioningWorkflow() {
      @Override
      public void start(ProvisioningInput input) {
        throw new UnsupportedOperationException("the admin console does not provision hosts");
      }

      @Override
      public List<HostId> running() {
        return real.running();
      }

      @Override
      public Optional<WorkflowRun> find(HostId id) {
        return real.find(id);
      }

      @Override
      public void cancel(HostId id, String cause) {
        if (note("stop the provisioning execution of " + id + ": " + cause)) {
          real.cancel(id, cause);
        }
      }

      @Override
      public boolean failTask(String taskToken, String error, String cause) {
        throw new UnsupportedOperationException("the admin console does not fail tasks");
      }
    };
  }

  StartWorkflow starts(StartWorkflow real) {
    return (StartInput input, String requestKey) -> {
      if (note("start the StartHost workflow for " + input.hostId() + " (instance " + input.instanceId() + ")")) {
        real.start(input, requestKey);
      }
    };
  }
}
