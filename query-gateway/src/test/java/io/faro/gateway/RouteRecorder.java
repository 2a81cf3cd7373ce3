package io.faro.gateway;

import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Stands in for Helidon's routing builder and writes down every method and path a routing registers, through
 * services ({@code register}) and features ({@code addFeature}) too, without building a server. A call it
 * cannot read (a {@code route(...)} with a matcher, say) fails loudly, so a route cannot slip past it.
 */
final class RouteRecorder {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "head", "options", "trace",
            "patch", "any");
    private static final Set<String> NOT_ROUTES = Set.of("addFilter", "error", "maxReRouteCount", "security");

    private final Set<String> routes = new TreeSet<>();
    private final List<String> fallbacks = new ArrayList<>();

    /** A routing builder that records into this. */
    HttpRouting.Builder builder() {
        return (HttpRouting.Builder) rules(HttpRouting.Builder.class, "");
    }

    /** {@code "POST /v1/search"}, ...: every route registered with a path, in order. */
    Set<String> routes() {
        return routes;
    }

    /** Handlers for any method at the root: the catch-all that answers what no route does. */
    List<String> fallbacks() {
        return fallbacks;
    }

    private Object rules(Class<?> type, String prefix) {
        Object[] self = new Object[1];
        self[0] = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object[] given = args == null ? new Object[0] : args;
            switch (method.getName()) {
                case "toString" -> {
                    return "RouteRecorder(" + prefix + ")";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == given[0];
                }
                case "register" -> register(prefix, given);
                case "addFeature" -> feature(given[0]).setup(builder());
                default -> {
                    if (METHODS.contains(method.getName())) {
                        record(method, prefix, given);
                    } else if (!NOT_ROUTES.contains(method.getName())) {
                        throw new UnsupportedOperationException("RouteRecorder cannot read " + method
                                + "; teach it, so the OpenAPI test sees that route");
                    }
                }
            }
            return self[0];
        });
        return self[0];
    }

    private void record(Method method, String prefix, Object[] args) {
        String path = args.length > 0 && args[0] instanceof String relative ? prefix + relative : prefix;
        String verb = method.getName().toUpperCase(Locale.ROOT);
        if (path.isEmpty() && verb.equals("ANY")) {
            fallbacks.add(verb);
        } else {
            routes.add(verb + " " + path);
        }
    }

    private void register(String prefix, Object[] args) {
        String path = args.length > 0 && args[0] instanceof String relative ? prefix + relative : prefix;
        for (Object arg : args) {
            for (HttpService service : services(arg)) {
                service.routing((HttpRules) rules(HttpRules.class, path));
            }
        }
    }

    private static List<HttpService> services(Object arg) {
        List<HttpService> services = new ArrayList<>();
        if (arg instanceof HttpService[] array) {
            services.addAll(List.of(array));
        } else if (arg instanceof Supplier<?> supplier) {
            services.add((HttpService) supplier.get());
        } else if (arg instanceof List<?> list) {
            list.forEach(each -> services.add((HttpService) ((Supplier<?>) each).get()));
        }
        return services;
    }

    private static HttpFeature feature(Object arg) {
        return arg instanceof Supplier<?> supplier ? (HttpFeature) supplier.get() : (HttpFeature) arg;
    }
}
