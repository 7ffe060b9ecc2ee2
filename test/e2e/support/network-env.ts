/**
 * How this machine reaches package indexes: its TLS trust anchors and proxies. baseEnv()
 * drops them (it keeps a child's environment minimal); package managers that download need
 * them back. Nothing here chooses an index or changes what gets installed.
 */
const NETWORK_VARIABLES = [
  // Trust anchors: a TLS-inspecting egress gateway signs with its own CA.
  "SSL_CERT_FILE", // OpenSSL (Python's ssl) and uv
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE", // requests (Poetry)
  "CURL_CA_BUNDLE",
  "PIP_CERT", // pip (which also reads it from pip.conf)
  "UV_SYSTEM_CERTS",
  "UV_NATIVE_TLS",
  // Proxies.
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "all_proxy",
  "no_proxy",
];

/** The network settings of the environment jasmine runs in, for a child process. */
export function networkEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of NETWORK_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined && value !== "") {
      env[name] = value;
    }
  }
  return env;
}
