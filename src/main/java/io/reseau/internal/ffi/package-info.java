/**
 * FFM downcalls into libc: the only code in Reseau that touches native functions.
 *
 * <p>Every wrapper returns the call's result, or {@code -errno} when the call failed, so a caller
 * never reads {@code errno} separately (it is captured by the linker in the same call, see
 * {@link io.reseau.internal.ffi.CallState}). Wrappers allocate nothing per call; callers pass the
 * native segments they own. Declarations follow {@code native-headers/*.h}.
 */
package io.reseau.internal.ffi;
