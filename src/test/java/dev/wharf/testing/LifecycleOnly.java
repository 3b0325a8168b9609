package dev.wharf.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Skips a test method's body and runs everything around it (its class's set-up and tear-down, the
 * extensions), so a test of what a class leaves behind can run a class whose bodies take minutes.
 * Registered for every class through the service file, but it acts only in a run whose configuration
 * sets {@value #ENABLED} to true; surefire's run never does, nor does it turn on autodetection.
 */
public final class LifecycleOnly implements InvocationInterceptor {
    public static final String ENABLED = "wharf.test.lifecycleOnly";

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        if (context.getConfigurationParameter(ENABLED).map(Boolean::parseBoolean).orElse(false)) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }
}
