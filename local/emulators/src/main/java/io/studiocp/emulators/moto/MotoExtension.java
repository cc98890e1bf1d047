package io.studiocp.emulators.moto;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link MotoServer}: one process for the whole test run, started on first use and
 * stopped (by PID) when JUnit closes its root store at the end of the run.
 *
 * <pre>{@code @ExtendWith(MotoExtension.class) class SomeTest { SomeTest(MotoServer moto) { ... } } }</pre>
 */
public final class MotoExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MotoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The run's moto server, started if needed. */
  public static MotoServer shared(ExtensionContext context) {
    return context.getRoot()
        .getStore(ExtensionContext.Namespace.create(MotoExtension.class))
        .getOrComputeIfAbsent("moto", key -> MotoServer.start(), MotoServer.class);
  }
}
