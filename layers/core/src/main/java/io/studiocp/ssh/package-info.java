/**
 * SSH into a user's Studio app, space or Docker host over SSM: hybrid activations for exactly one
 * registration, the managed nodes (`mi-…`) they produce, tagged with their owner so that a user's
 * {@code ssm:StartSession} reaches only their own, and what the cleanup needs to deregister what
 * outlived its app. The SSM adapter is in {@code ssh/aws}.
 */
package io.studiocp.ssh;
