package io.studiocp.sessions;

import io.studiocp.platform.Rejection;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The apps a Studio session can land in, and the LandingUri that opens each. */
public enum LandingApp {
  JUPYTER_LAB("JupyterLab"),
  CODE_EDITOR("CodeEditor");

  private final String appType;

  LandingApp(String appType) {
    this.appType = appType;
  }

  /** SageMaker's app type, as spaces and apps carry it. */
  public String appType() {
    return appType;
  }

  public String landingUri() {
    return "app:" + appType + ":";
  }

  /** "jupyterlab" or "JupyterLab" (any case) and so on; anything else is refused, naming the choices. */
  public static LandingApp parse(String field, String value) {
    for (LandingApp app : values()) {
      if (app.appType.equalsIgnoreCase(value)) {
        return app;
      }
    }
    throw Rejection.invalid(field, "'" + value + "' is not an app Studio can open; use one of "
        + Arrays.stream(values()).map(a -> a.appType.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
  }

  /** The app of a space's settings, if it is one of these. */
  static java.util.Optional<LandingApp> ofAppType(String appType) {
    return Arrays.stream(values()).filter(a -> a.appType.equals(appType)).findFirst();
  }
}
