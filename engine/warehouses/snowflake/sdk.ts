/** The snowflake-sdk module: imported lazily (compile-only commands never load it), configured once. */
import type * as SnowflakeSdk from "snowflake-sdk";

type Sdk = typeof SnowflakeSdk;

let sdkPromise: Promise<Sdk> | undefined;

/** The SDK, loaded once, configured not to touch anything but the configured endpoint. */
export function loadSdk(): Promise<Sdk> {
  if (!sdkPromise) {
    // The SDK probes cloud metadata endpoints (AWS, Azure, GCP) as soon as its module is loaded,
    // and sends a "connection shape" telemetry event after login; neither has a configuration
    // option, only these variables, which must be set before the (lazy) import below. They are
    // set here and nowhere else.
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = "true";
    process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = "true";
    sdkPromise = import("snowflake-sdk").then((m) => {
      const sdk = ((m as unknown as { default?: Sdk }).default ?? m) as Sdk;
      const quiet = (): void => undefined;
      sdk.configure({
        // No `snowflake.log` in the working directory, no console output.
        customLogger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
        logLevel: "OFF",
        // OCSP revocation checks contact third-party responders; TLS certificates are still
        // verified against the CA chain by Node.
        disableOCSPChecks: true,
        useEnvProxy: false,
      });
      return sdk;
    });
  }
  return sdkPromise;
}
