package io.studiocp.hosts.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.studiocp.hosts.HostId;
import io.studiocp.hosts.provisioning.LaunchPlan;
import io.studiocp.hosts.provisioning.LaunchRequest;
import io.studiocp.hosts.provisioning.NfsMount;
import io.studiocp.hosts.provisioning.ProvisioningException;
import io.studiocp.studio.StudioUser;
import io.studiocp.testkit.fakes.InMemoryPoolQueues;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claim's reservation: each free pool host's ticket goes to exactly one claim; one without a ticket fails at once. */
class ClaimPoolHostTest {

  private static final String QUEUE = PoolQueues.name("d-abc", "m5.xlarge");
  private static final String TICKETS = PoolQueues.ticketsName("d-abc", "m5.xlarge");

  private final InMemoryPoolQueues queues = new InMemoryPoolQueues();
  private final ClaimPoolHost claim = new ClaimPoolHost(queues, "us-east-1", Optional.empty());

  @BeforeEach
  void aPoolOfOne() {
    queues.ensure(QUEUE);
    queues.ensureTickets(TICKETS);
    queues.addTicket(TICKETS, "i-0pool", "i-0pool");
  }

  private static LaunchRequest request(String user, String token) {
    StudioUser owner = new StudioUser("d-abc", user);
    HostId id = HostId.derive(owner, "key-" + user);
    String home = "/home/sagemaker-user";
    return new LaunchRequest(new LaunchPlan(id, owner, "arn:aws:states:us-east-1:123456789012:execution:P:" + id,
        "m5.xlarge", "x86_64", false, "ami-1", "/dev/xvda", "subnet-1", "us-east-1a", List.of("sg-1"), 100, 1111,
        List.of(), "2030-01-01T00:00:00Z", 200001, 100, home, home + "/.sdocker/hosts/" + id,
        List.of(new NfsMount("10.0.1.6", "/200001", home)), "2026-12-07T10:00:00Z", true), token);
  }

  @Test
  void twoClaimsOnAPoolOfOneOneClaimsAndTheOtherFailsAtOnceSendingNothing() {
    ClaimPoolHost.Claimed first = claim.claim(request("alice", "AQalice"));

    ProvisioningException second = assertThrows(ProvisioningException.class,
        () -> claim.claim(request("bob", "AQbob")));

    assertEquals(QUEUE, first.queue());
    assertEquals(1, queues.messages(QUEUE).size(), "only the first claim reached the pool's queue");
    assertTrue(new String(java.util.Base64.getDecoder().decode(queues.messages(QUEUE).getFirst()))
        .contains("SDOCKER_TASK_TOKEN='AQalice'"));
    assertTrue(second.getMessage().contains("no free pool host of m5.xlarge in d-abc"), second.getMessage());
    assertEquals(List.of(), queues.tickets(TICKETS), "the ticket is spent");
  }

  @Test
  void aNewPoolHostsTicketServesTheNextClaim() {
    claim.claim(request("alice", "AQalice"));
    queues.addTicket(TICKETS, "i-0refill", "i-0refill");

    claim.claim(request("bob", "AQbob"));

    assertEquals(2, queues.messages(QUEUE).size());
  }

  @Test
  void aClaimThatCannotBeSentGivesItsTicketBack() {
    InMemoryPoolQueues noQueue = new InMemoryPoolQueues();
    noQueue.ensureTickets(TICKETS);
    noQueue.addTicket(TICKETS, "i-0pool", "i-0pool");

    assertThrows(ProvisioningException.class,
        () -> new ClaimPoolHost(noQueue, "us-east-1", Optional.empty()).claim(request("alice", "AQalice")));

    assertEquals(List.of("i-0pool"), noQueue.tickets(TICKETS), "the host is still free for the next claim");
  }

  /**
   * The claim is sent while the ticket is spent: when SQS refuses the claim after the ticket was
   * spent, the pool host waits without a ticket (the keeper mends that) rather than with two.
   */
  @Test
  void aClaimThatSqsRefusesAfterItsTicketWasSpentFailsAndCountsOnNoHost() {
    queues.failSends(new io.studiocp.platform.TransientAwsException("SendMessage: throttled", null));

    assertThrows(io.studiocp.platform.TransientAwsException.class, () -> claim.claim(request("alice", "AQalice")));

    assertEquals(List.of(), queues.messages(QUEUE), "nothing reached the pool host");
    assertEquals(List.of(), queues.tickets(TICKETS), "the spent ticket is not put back");
    assertEquals(0, queues.ticketCount(TICKETS));
  }

  @Test
  void aPoolWithoutATicketQueueIsNoPoolToClaimFrom() {
    InMemoryPoolQueues old = new InMemoryPoolQueues();
    old.ensure(QUEUE);

    assertThrows(ProvisioningException.class,
        () -> new ClaimPoolHost(old, "us-east-1", Optional.empty()).claim(request("alice", "AQalice")));
    assertEquals(List.of(), old.messages(QUEUE));
  }
}
