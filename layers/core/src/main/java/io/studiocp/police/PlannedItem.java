package io.studiocp.police;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One long-running resource and what this run does about it.
 *
 * @param stopAt when enforcement will stop it, if enforcement applies to it
 * @param costSoFarUsd the estimated cost since it started, when the policy prices its type
 */
public record PlannedItem(PolicedResource resource, PoliceAction action, Duration age, Duration threshold,
    Optional<Instant> stopAt, Optional<Double> costSoFarUsd) {}
