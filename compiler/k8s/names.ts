/** The names and paths `hypothecary k8s` writes into Kubernetes objects, and their checks. */

/** Where the ConfigMap is mounted in every container: the Dockerfile example uses it too. */
export const DEFAULT_MOUNT = "/etc/hypothecary";
/** The ConfigMap key, hence the file name under the mount. */
export const RUNNER_KEY = "runner.sh";
/** The image of the CronJob and the sidecar: anything with a POSIX sh will do. */
export const DEFAULT_IMAGE = "busybox:1.36";
/** The pod volume that carries the ConfigMap (and a scratch volume for the runner's /tmp). */
export const VOLUME_NAME = "hypothecary";
export const TMP_VOLUME_NAME = "hypothecary-tmp";
/** The sidecar's container name. */
export const SIDECAR_NAME = "hypothecary";
/** Appended to --name for the ConfigMap and the CronJob. */
export const OBJECT_SUFFIX = "-hypothecary";

/** The probe command for KIND: plain words, as podman's kube play flattens argv into a shell line. */
export function probeCommand(mount: string, kind: string): string[] {
  return ["/bin/sh", `${mount}/${RUNNER_KEY}`, "probe", kind];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (Deployment, container, namespace and CronJob names here): undefined when fine. */
export function dnsLabelProblem(value: string, max = 63): string | undefined {
  if (value.length === 0) return "must not be empty";
  if (value.length > max) return `must be at most ${max} characters (has ${value.length})`;
  if (!DNS_LABEL.test(value)) {
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * The mount path: absolute, plain words (the probe command is flattened into a shell line by
 * podman, and Kubernetes expands `$(VAR)` in commands), no `.` or `..` segments. Returns the
 * path without a trailing slash, or a problem.
 */
export function normalizeMount(value: string): { mount: string } | { problem: string } {
  const mount = value.length > 1 ? value.replace(/\/+$/, "") : value;
  if (!mount.startsWith("/")) return { problem: "must be an absolute path" };
  if (mount === "/") return { problem: "must not be /" };
  if (!/^[A-Za-z0-9._/-]+$/.test(mount)) return { problem: "may hold only letters, digits, '.', '_', '-' and '/'" };
  if (mount.split("/").some((s, i) => i > 0 && (s === "" || s === "." || s === ".."))) {
    return { problem: "must not hold empty, '.' or '..' segments" };
  }
  return { mount };
}

/** An image reference: no spaces or control characters (the registry checks the rest). */
export function imageProblem(value: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(value)) return "is not an image reference (e.g. busybox:1.36)";
  return undefined;
}
