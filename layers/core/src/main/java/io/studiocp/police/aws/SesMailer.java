package io.studiocp.police.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.studiocp.platform.AwsClients;
import io.studiocp.platform.AwsFailures;
import io.studiocp.platform.AwsJsonClient;
import io.studiocp.platform.AwsOperation;
import io.studiocp.police.Email;
import io.studiocp.police.Mailer;
import io.studiocp.police.SendQuota;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * {@link Mailer} over SES v2, as signed REST-JSON calls ({@link AwsJsonClient}) rather than the
 * SDK's SES client: a police run at scale sends thousands of messages, and the SDK's request
 * pipeline cost more CPU per message than the signing and the HTTP call themselves.
 */
public final class SesMailer implements Mailer {

  /** SES v2 as the lean client speaks it. */
  public static final AwsJsonClient.Service SES = AwsJsonClient.Service.rest("SESV2", "ses", "email");

  /** The operations this adapter calls (read from the bytecode by the deployment tests). */
  enum Call implements AwsOperation {
    GetAccount(SdkHttpMethod.GET, "/v2/email/account"),
    GetEmailIdentity(SdkHttpMethod.GET, "/v2/email/identities/{}"),
    CreateEmailIdentity(SdkHttpMethod.POST, "/v2/email/identities"),
    SendEmail(SdkHttpMethod.POST, "/v2/email/outbound-emails");

    static final String IAM_PREFIX = "ses";

    private final SdkHttpMethod method;
    private final String path;

    Call(SdkHttpMethod method, String path) {
      this.method = method;
      this.path = path;
    }
  }

  /** The codes SES gives a message sent faster than the account's rate. */
  private static final Set<String> RATE_CODES = Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
      "MaxSendRateExceeded", "MaxSendRateExceededException");
  /** The codes SES gives a message past the account's quota of the last 24 hours. */
  private static final Set<String> DAILY_CODES = Set.of("LimitExceeded", "LimitExceededException",
      "DailyQuotaExceeded");

  private final AwsJsonClient ses;
  private final String from;
  private final Mailer.SandboxMode mode;
  private volatile Boolean sandboxed;

  /** @param ses the lean client for {@link #SES}; a few tries at most: throttling is paced by the mail room */
  public SesMailer(AwsJsonClient ses, String from, Mailer.SandboxMode mode) {
    this.ses = ses;
    this.from = from;
    this.mode = mode;
  }

  /** Over the function's clients: two tries a call (the mail room backs off throttled messages itself). */
  public static SesMailer of(AwsClients aws, String from, Mailer.SandboxMode mode) {
    return new SesMailer(aws.json(SES, 2), from, mode);
  }

  /** The calls of a run on a priming client (answered locally, never sent). */
  public Runnable primer() {
    SesMailer priming = new SesMailer(ses.priming(), "priming@example.com", Mailer.SandboxMode.FALSE);
    return () -> {
      priming.quota();
      priming.send(new Email(java.util.List.of("priming@example.com"), "priming", "priming", "<p>priming</p>"));
    };
  }

  /** One of {@link Call}s: its method on its path, each {@code {}} filled in by the next of {@code pathValues}. */
  private JsonNode call(Call call, ObjectNode body, String... pathValues) {
    return ses.rest(call, call.method, AwsJsonClient.path(call.path, pathValues), Map.of(), body);
  }

  @Override
  public boolean sandboxed() {
    if (mode != Mailer.SandboxMode.AUTO) {
      return mode == Mailer.SandboxMode.TRUE;
    }
    Boolean known = sandboxed;
    if (known == null) {
      try {
        known = !call(Call.GetAccount, null).path("ProductionAccessEnabled").asBoolean(false);
      } catch (SdkException e) {
        // Cannot tell: send, and let SES refuse what it must (recorded, never fatal).
        known = false;
      }
      sandboxed = known;
    }
    return known;
  }

  @Override
  public SendQuota quota() {
    JsonNode account;
    try {
      account = call(Call.GetAccount, null);
    } catch (SdkException e) {
      // Not known (moto's stand-in has no GetAccount): unpaced; a throttled message is still
      // backed off and, if need be, kept for the next run. Nor is the sandbox known: as sandboxed().
      if (mode == Mailer.SandboxMode.AUTO && sandboxed == null) {
        sandboxed = false;
      }
      return SendQuota.UNLIMITED;
    }
    if (mode == Mailer.SandboxMode.AUTO && sandboxed == null && account.has("ProductionAccessEnabled")) {
      sandboxed = !account.path("ProductionAccessEnabled").asBoolean(false);
    }
    JsonNode quota = account.path("SendQuota");
    if (!quota.isObject() || !quota.has("MaxSendRate")) {
      return SendQuota.UNLIMITED;
    }
    return SendQuota.of(quota.path("MaxSendRate").asDouble(0), quota.path("Max24HourSend").asDouble(-1),
        quota.path("SentLast24Hours").asDouble(0));
  }

  @Override
  public Verification verification(String address) {
    try {
      String status = call(Call.GetEmailIdentity, null, address).path("VerificationStatus").asText("");
      return "SUCCESS".equals(status) ? Verification.VERIFIED
          : "PENDING".equals(status) ? Verification.PENDING : Verification.UNKNOWN;
    } catch (AwsServiceException e) {
      if ("NotFoundException".equals(AwsFailures.code(e)) || e.statusCode() == 404) {
        return Verification.UNKNOWN;
      }
      throw AwsFailures.classify("GetEmailIdentity", e);
    } catch (SdkException e) {
      throw AwsFailures.classify("GetEmailIdentity", e);
    }
  }

  @Override
  public void requestVerification(String address) {
    ObjectNode input = ses.input().put("EmailIdentity", address);
    try {
      call(Call.CreateEmailIdentity, input);
    } catch (AwsServiceException e) {
      if (!"AlreadyExistsException".equals(AwsFailures.code(e))) {
        throw AwsFailures.classify("CreateEmailIdentity", e);
      }
      // asked before
    } catch (SdkException e) {
      throw AwsFailures.classify("CreateEmailIdentity", e);
    }
  }

  @Override
  public void send(Email email) {
    ObjectNode input = ses.input().put("FromEmailAddress", from);
    email.to().forEach(input.putObject("Destination").putArray("ToAddresses")::add);
    ObjectNode simple = input.putObject("Content").putObject("Simple");
    simple.putObject("Subject").put("Data", email.subject()).put("Charset", "UTF-8");
    ObjectNode body = simple.putObject("Body");
    body.putObject("Text").put("Data", email.text()).put("Charset", "UTF-8");
    body.putObject("Html").put("Data", email.html()).put("Charset", "UTF-8");
    try {
      call(Call.SendEmail, input);
    } catch (AwsServiceException e) {
      String code = AwsFailures.code(e);
      String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      String said = code + ": " + message;
      String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
      if (DAILY_CODES.contains(code) || lower.contains("daily message quota")) {
        throw new Throttled(said, true);
      }
      if (RATE_CODES.contains(code) || lower.contains("maximum sending rate") || e.statusCode() == 429) {
        throw new Throttled(said, false);
      }
      if (AwsFailures.isTransient(e)) {
        throw AwsFailures.classify("SendEmail", e);
      }
      // MessageRejected, an unverified sender or recipient, a bad address, a paused account:
      // this message is lost, the run goes on and the admins hear of it.
      throw new Undeliverable(said);
    } catch (SdkException e) {
      throw AwsFailures.classify("SendEmail", e);
    }
  }
}
