/**
 * Accessors through which the blocking facade reaches what the callback layers keep out of their
 * exported API. Not exported.
 */
package io.reseau.internal.access;
