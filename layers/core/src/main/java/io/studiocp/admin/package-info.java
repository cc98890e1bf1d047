/**
 * The admin console: one report of everything that runs across the managed domains (apps, spaces,
 * Docker hosts, police marks, failures, costs), an explanation of why one resource runs or was
 * stopped, and the admins' actions on hosts, apps and police marks, each with a dry run and an
 * audit line. It reads through the police's sweeps and the host fleet, and changes hosts through
 * the fleet's lifecycle use cases only.
 */
package io.studiocp.admin;
