/** A runnable console chat built on the SDK (see docs/sdk.md). */
package im.parley.sdk.example;
