/**
 * The scheduled cleanup: in sweeps (a few calls per run, not one per host), it warns owners of
 * hosts about to expire and stops (or terminates) expired ones, stops hosts their owners left idle,
 * ends what a broken workflow left behind (orphaned instances and executions, unused security
 * groups), and tells owners and admins what it did and why. A dry run plans and changes nothing.
 */
package io.studiocp.cleanup;
