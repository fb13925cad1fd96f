#!/usr/bin/env node
// Turns a `hypothecary k8s` folder into what a cluster would run, without kubectl: a minimal
// Deployment of the container the probe patch names (image IMAGE, an idle PID 1, and an httpGet
// livenessProbe the patch must replace), with probe-patch.yaml (and, with --sidecar,
// sidecar-patch.yaml) applied the way `kubectl patch` / kustomize apply a strategic-merge patch.
//
//   node test/e2e/k8s-pod.mjs DIR IMAGE [--sidecar] [--deployment]
//
// Prints the ConfigMap and a Pod made of the Deployment's pod template (restartPolicy Never), as
// one multi-document YAML for `podman kube play`; with --deployment, the merged Deployment alone
// (test/compiler/k8s.test.ts validates it against the Kubernetes schemas).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

// The merge keys of the lists a pod template holds (the patchMergeKey of the Kubernetes API);
// any other list is replaced, as strategic merge does for lists without one.
const MERGE_KEYS = { containers: "name", initContainers: "name", volumes: "name", volumeMounts: "mountPath", env: "name", ports: "containerPort" };

/** A strategic-merge patch, the subset a pod template needs: maps merge, keyed lists merge by key, `$patch: replace`. */
export function strategicMerge(base, patch, key) {
  if (Array.isArray(patch)) {
    const mergeKey = MERGE_KEYS[key];
    if (!mergeKey || !Array.isArray(base)) return patch.map((item) => strategicMerge(undefined, item));
    const merged = base.map((item) => ({ ...item }));
    for (const item of patch) {
      const at = merged.findIndex((b) => b[mergeKey] === item[mergeKey]);
      if (at >= 0) merged[at] = strategicMerge(merged[at], item);
      else merged.push(strategicMerge(undefined, item));
    }
    return merged;
  }
  if (patch === null || typeof patch !== "object") return patch;
  const { $patch: directive, ...rest } = patch;
  if (directive !== undefined && directive !== "replace") throw new Error(`unsupported $patch: ${directive}`);
  const out = directive === "replace" || base === null || typeof base !== "object" || Array.isArray(base) ? {} : { ...base };
  for (const [k, v] of Object.entries(rest)) out[k] = strategicMerge(directive === "replace" ? undefined : out[k], v, k);
  return out;
}

const IDLE = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

function main(argv) {
  const [dir, image, ...flags] = argv;
  if (!dir || !image) {
    process.stderr.write("usage: node test/e2e/k8s-pod.mjs DIR IMAGE [--sidecar] [--deployment]\n");
    process.exit(2);
  }
  const load = (file) => parse(readFileSync(join(dir, file), "utf8"));
  const probePatch = load("probe-patch.yaml");
  const name = probePatch.metadata.name;
  const container = probePatch.spec.template.spec.containers[0].name;
  let deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: container, image, command: IDLE, livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 5 } },
          ],
        },
      },
    },
  };
  deployment = strategicMerge(deployment, probePatch);
  if (flags.includes("--sidecar")) deployment = strategicMerge(deployment, load("sidecar-patch.yaml"));
  if (flags.includes("--deployment")) {
    process.stdout.write(stringify(deployment, { lineWidth: 0 }));
    return;
  }
  const template = deployment.spec.template;
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...template.metadata },
    spec: { restartPolicy: "Never", ...template.spec },
  };
  process.stdout.write(`${stringify(load("configmap.yaml"), { lineWidth: 0 })}---\n${stringify(pod, { lineWidth: 0 })}`);
}

main(process.argv.slice(2));
