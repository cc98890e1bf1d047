package io.studiocp.police.aws;

import io.studiocp.platform.AwsFailures;
import io.studiocp.police.Email;
import io.studiocp.police.Mailer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;

/** {@link Mailer} over SES v2. */
public final class SesMailer implements Mailer {

  private final SesV2Client ses;
  private final String from;
  private final Mailer.SandboxMode mode;
  private volatile Boolean sandboxed;

  public SesMailer(SesV2Client ses, String from, Mailer.SandboxMode mode) {
    this.ses = ses;
    this.from = from;
    this.mode = mode;
  }

  @Override
  public boolean sandboxed() {
    if (mode != Mailer.SandboxMode.AUTO) {
      return mode == Mailer.SandboxMode.TRUE;
    }
    Boolean known = sandboxed;
    if (known == null) {
      try {
        known = !Boolean.TRUE.equals(ses.getAccount(r -> { }).productionAccessEnabled());
      } catch (SdkException e) {
        // Cannot tell: send, and let SES refuse what it must (recorded, never fatal).
        known = false;
      }
      sandboxed = known;
    }
    return known;
  }

  @Override
  public Verification verification(String address) {
    try {
      String status = ses.getEmailIdentity(r -> r.emailIdentity(address)).verificationStatusAsString();
      return "SUCCESS".equals(status) ? Verification.VERIFIED
          : "PENDING".equals(status) ? Verification.PENDING : Verification.UNKNOWN;
    } catch (NotFoundException e) {
      return Verification.UNKNOWN;
    } catch (SdkException e) {
      throw AwsFailures.classify("GetEmailIdentity", e);
    }
  }

  @Override
  public void requestVerification(String address) {
    try {
      ses.createEmailIdentity(r -> r.emailIdentity(address));
    } catch (AlreadyExistsException e) {
      // asked before
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateEmailIdentity", e);
    }
  }

  @Override
  public void send(Email email) {
    try {
      ses.sendEmail(r -> r.fromEmailAddress(from)
          .destination(d -> d.toAddresses(email.to()))
          .content(c -> c.simple(m -> m.subject(s -> s.data(email.subject()).charset("UTF-8"))
              .body(b -> b.text(t -> t.data(email.text()).charset("UTF-8"))
                  .html(h -> h.data(email.html()).charset("UTF-8"))))));
    } catch (AwsServiceException e) {
      if (AwsFailures.isTransient(e)) {
        throw AwsFailures.classify("SendEmail", e);
      }
      // MessageRejected, an unverified sender or recipient, a bad address, a paused account:
      // this message is lost, the run goes on and the admins hear of it.
      throw new Undeliverable(AwsFailures.code(e) + ": " + e.awsErrorDetails().errorMessage());
    } catch (SdkException e) {
      throw AwsFailures.classify("SendEmail", e);
    }
  }
}
