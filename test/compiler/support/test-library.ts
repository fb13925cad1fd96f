import type { Library, PrebuiltDefinition } from "../../../compiler/library/library.js";
import { parsePrebuilt } from "../../../compiler/library/parse-library.js";

/**
 * Prebuilts written for the tests, so check's tests do not depend on stdlib/ (which has a life
 * of its own). Between them they use every parameter type.
 */
const MANIFESTS = [
  `# hypothecary prebuilt: HTTP
# summary: Requests a URL and checks its status.
# reports: the status and latency.
# function: hyp_prebuilt_http
# param url: string, required -- the URL to request
# param status: string = 2xx -- accepted statuses
# param method: string = GET, one of GET|HEAD|POST -- the request method
# param timeout: duration = 5s -- how long to wait for an answer
# param insecure: boolean = false -- accept any TLS certificate
# param headers: list = "" -- extra request headers, one per entry
hyp_prebuilt_http() { :; }
`,
  `# hypothecary prebuilt: AWS-STS
# summary: Calls sts:GetCallerIdentity.
# reports: the account and role, or why the call failed.
# function: hyp_prebuilt_aws_sts
# param region: string = us-east-1 -- the AWS region
hyp_prebuilt_aws_sts() { :; }
`,
  `# hypothecary prebuilt: TCP
# summary: Opens a TCP connection.
# reports: whether the port answered.
# function: hyp_prebuilt_tcp
# param host: string, required -- the host to connect to
# param port: port, required -- the port
# param retries: integer = 2 -- attempts before giving up
hyp_prebuilt_tcp() { :; }
`,
];

export function testLibrary(): Library {
  const prebuilts = new Map<string, PrebuiltDefinition>();
  MANIFESTS.forEach((text, index) => {
    const prebuilt = parsePrebuilt(`test/prebuilt-${index}.sh`, text);
    prebuilts.set(prebuilt.name, prebuilt);
  });
  return { fragments: new Map(), prebuilts };
}
