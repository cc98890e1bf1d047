package io.studiocp.sessions;

import io.studiocp.studio.StudioUser;
import java.time.Duration;
import java.util.Optional;

/**
 * An app as the caller sees it: whose it is, how long it has run and roughly what it has cost so far
 * (empty when its type has no known price; zero when it runs on no instance of its own).
 */
public record AppView(StudioApp app, Optional<StudioUser> owner, Duration age, Optional<Double> costUsd,
    Optional<Double> hourlyUsd) {}
