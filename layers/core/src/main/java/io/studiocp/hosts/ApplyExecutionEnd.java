package io.studiocp.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import io.studiocp.platform.Json;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * What a host workflow leaves behind when it ends without finishing: a provisioning execution
 * stopped from the console ({@code StopExecution}), timed out or failed outside its own Catch, and
 * a start that was aborted. Step Functions' own "Execution Status Change" events bring the end;
 * this rule makes it true on the hosts:
 *
 * <ul>
 *   <li>ProvisionHost ended ABORTED, TIMED_OUT or FAILED: every live instance of the host still
 *       PROVISIONING is marked FAILED with the reason and terminated (one that became READY, or
 *       that is already on its way out, is left alone: Compensate or the user acted first); a
 *       host with no live instance gives its slot back ({@link HostSlots});
 *   <li>StartHost ended so: the host still STARTING is stopped again with the reason (its volume and
 *       certificates stay, as after any stop).
 * </ul>
 *
 * Replays of the same event find nothing left to do.
 */
public final class ApplyExecutionEnd {

  /** What the event led to, for logs and tests. */
  public enum Outcome { TERMINATED, STOPPED, NOTHING_LEFT, IGNORED }

  private static final Set<String> ENDED_UNFINISHED = Set.of("ABORTED", "TIMED_OUT", "FAILED");

  private final HostFleet fleet;
  private final HostSlots slots;
  private final String provisionMachineArn;
  private final String startMachineArn;
  private final Clock clock;

  /** @param startMachineArn the StartHost machine, or null where it is not deployed */
  public ApplyExecutionEnd(HostFleet fleet, HostSlots slots, String provisionMachineArn, String startMachineArn,
      Clock clock) {
    this.fleet = fleet;
    this.slots = slots;
    this.provisionMachineArn = provisionMachineArn;
    this.startMachineArn = startMachineArn;
    this.clock = clock;
  }

  /** An execution's end as the event tells it. */
  public record ExecutionEnd(String stateMachineArn, String executionArn, String status, String input,
      String error, String cause) {}

  public Outcome apply(ExecutionEnd end) {
    if (!ENDED_UNFINISHED.contains(end.status())) {
      return Outcome.IGNORED;
    }
    boolean provision = end.stateMachineArn().equals(provisionMachineArn);
    boolean start = end.stateMachineArn().equals(startMachineArn);
    if (!provision && !start) {
      return Outcome.IGNORED;
    }
    HostId hostId = hostIdOf(end.input());
    if (hostId == null) {
      return Outcome.IGNORED;
    }
    String why = why(end);
    List<HostInstance> live = fleet.liveInstancesOf(hostId);
    if (provision) {
      List<HostInstance> provisioning = live.stream().filter(i -> i.tagState() == HostState.PROVISIONING).toList();
      if (live.isEmpty()) {
        slots.release(hostId);  // it never launched, or is gone: no instance event will give its slot back
      }
      if (provisioning.isEmpty()) {
        return Outcome.NOTHING_LEFT;
      }
      fleet.fail(provisioning, "the provisioning workflow " + why + " before the host was ready, so its instance was "
          + "terminated; ask for a new host");
      return Outcome.TERMINATED;
    }
    List<HostInstance> starting = live.stream().filter(i -> i.tagState() == HostState.STARTING).toList();
    if (starting.isEmpty()) {
      return Outcome.NOTHING_LEFT;
    }
    fleet.stop(starting, "the start " + why + ", so the host was stopped again; start it once more", clock.instant());
    return Outcome.STOPPED;
  }

  private static String why(ExecutionEnd end) {
    String how = switch (end.status()) {
      case "ABORTED" -> "was stopped outside the API (" + tail(end.executionArn()) + ")";
      case "TIMED_OUT" -> "timed out";
      default -> "failed";
    };
    String detail = end.cause() != null && !end.cause().isBlank() ? end.cause()
        : end.error() != null && !end.error().isBlank() ? end.error() : null;
    return detail == null ? how : how + ": " + detail;
  }

  private static String tail(String executionArn) {
    return executionArn == null ? "execution unknown" : "execution " + executionArn.substring(executionArn.lastIndexOf(':') + 1);
  }

  /** The host an execution was about: its input's {@code hostId}; null when there is none. */
  static HostId hostIdOf(String input) {
    if (input == null || input.isBlank()) {
      return null;
    }
    try {
      JsonNode node = Json.mapper().readTree(input);
      String id = node.path("hostId").asText(null);
      return HostId.isValid(id) ? new HostId(id) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
