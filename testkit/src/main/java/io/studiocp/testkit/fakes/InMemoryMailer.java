package io.studiocp.testkit.fakes;

import io.studiocp.police.Email;
import io.studiocp.police.Mailer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mail service in memory: what was sent, and, in its sandbox, who has verified. A recipient
 * asked to verify stays pending until the test confirms them. Safe to call from several threads:
 * the police tell owners side by side.
 */
public final class InMemoryMailer implements Mailer {

  private final List<Email> sent = new ArrayList<>();
  private final Map<String, Verification> verification = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private boolean sandboxed;

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
  public synchronized Verification verification(String address) {
    return verification.getOrDefault(address, Verification.UNKNOWN);
  }

  @Override
  public synchronized void requestVerification(String address) {
    verification.putIfAbsent(address, Verification.PENDING);
  }

  @Override
  public synchronized void send(Email email) {
    List<String> bad = email.to().stream().filter(refused::contains).toList();
    if (!bad.isEmpty()) {
      throw new Undeliverable("MessageRejected: " + String.join(", ", bad));
    }
    sent.add(email);
  }
}
