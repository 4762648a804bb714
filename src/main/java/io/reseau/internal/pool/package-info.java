/** Objects shared by the connections of the process, held only while a call uses them. Not exported. */
package io.reseau.internal.pool;
