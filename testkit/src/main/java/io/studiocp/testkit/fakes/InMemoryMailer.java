package io.studiocp.testkit.fakes;

import io.studiocp.police.Email;
import io.studiocp.police.Mailer;
import io.studiocp.police.SendQuota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mail service in memory: what was sent, and, in its sandbox, who has verified. A recipient
 * asked to verify stays pending until the test confirms them. Its quota is what the test sets
 * (unlimited by default); it throttles the messages the test says, and refuses every message
 * past a daily limit as SES does. Safe to call from several threads: the police tell owners side
 * by side.
 */
public final class InMemoryMailer implements Mailer {

  private final List<Email> sent = new ArrayList<>();
  private final Map<String, Verification> verification = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private boolean sandboxed;
  private SendQuota quota = SendQuota.UNLIMITED;
  private int quotaReads;
  private int throttleNext;
  private int throttled;
  private Integer dailyLimit;

  /** What {@link #quota()} tells. */
  public synchronized InMemoryMailer quota(SendQuota quota) {
    this.quota = quota;
    return this;
  }

  public synchronized int quotaReads() {
    return quotaReads;
  }

  /** The next {@code messages} sends are throttled (too fast), as SES throttles. */
  public synchronized InMemoryMailer throttleNext(int messages) {
    this.throttleNext = messages;
    return this;
  }

  /** How many sends were throttled, of either kind. */
  public synchronized int throttled() {
    return throttled;
  }

  /** Every send once {@code messages} were sent is refused: the day's quota is used up. */
  public synchronized InMemoryMailer dailyLimit(int messages) {
    this.dailyLimit = messages;
    return this;
  }

  public synchronized InMemoryMailer sandboxed(boolean sandboxed) {
    this.sandboxed = sandboxed;
    return this;
  }

  /** Messages to this address are refused (as SES refuses a bad or suppressed address). */
  public synchronized InMemoryMailer refuse(String address) {
    refused.add(address);
    return this;
  }

  public synchronized InMemoryMailer verified(String address) {
    verification.put(address, Verification.VERIFIED);
    return this;
  }

  public synchronized List<Email> sent() {
    return List.copyOf(sent);
  }

  public synchronized List<Email> sentTo(String address) {
    return sent.stream().filter(m -> m.to().contains(address)).toList();
  }

  @Override
  public synchronized boolean sandboxed() {
    return sandboxed;
  }

  @Override
  public synchronized SendQuota quota() {
    quotaReads++;
    return quota;
  }

  @Override
  public synchronized Verification verification(String address) {
    return verification.getOrDefault(address, Verification.UNKNOWN);
  }

  @Override
  public synchronized void requestVerification(String address) {
    verification.putIfAbsent(address, Verification.PENDING);
  }

  @Override
  public synchronized void send(Email email) {
    if (dailyLimit != null && sent.size() >= dailyLimit) {
      throttled++;
      throw new Throttled("Throttling: Daily message quota exceeded.", true);
    }
    if (throttleNext > 0) {
      throttleNext--;
      throttled++;
      throw new Throttled("TooManyRequestsException: Maximum sending rate exceeded.", false);
    }
    List<String> bad = email.to().stream().filter(refused::contains).toList();
    if (!bad.isEmpty()) {
      throw new Undeliverable("MessageRejected: " + String.join(", ", bad));
    }
    sent.add(email);
  }
}
