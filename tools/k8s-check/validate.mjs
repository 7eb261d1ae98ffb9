// Validates rendered Kubernetes manifests offline (the output of `helm template`, several YAML documents).
//
// Built-in kinds are checked against the Kubernetes OpenAPI schemas compiled into kubernetes-models, and, more
// strictly than those schemas, for unknown fields (a misspelt field is silently dropped by a lenient API server).
// The CRD kinds the chart renders (Prometheus Operator, KEDA) are checked here for apiVersion, kind and the
// fields their controllers require. An unknown apiVersion/kind is an error.
//
// Usage: node validate.mjs [FILE]        (stdin when FILE is omitted or "-")
// Prints {"valid": bool, "errors": [...], "objects": [...]} as JSON (objects are the parsed documents, for
// assertions on their content) and exits 1 when any document is invalid, 2 on unreadable input.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const builtIn = {
  'v1/ConfigMap': 'IoK8sApiCoreV1ConfigMap',
  'v1/Secret': 'IoK8sApiCoreV1Secret',
  'v1/Service': 'IoK8sApiCoreV1Service',
  'v1/ServiceAccount': 'IoK8sApiCoreV1ServiceAccount',
  'apps/v1/Deployment': 'IoK8sApiAppsV1Deployment',
  'apps/v1/StatefulSet': 'IoK8sApiAppsV1StatefulSet',
  'batch/v1/Job': 'IoK8sApiBatchV1Job',
  'policy/v1/PodDisruptionBudget': 'IoK8sApiPolicyV1PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'IoK8sApiNetworkingV1NetworkPolicy',
};

const customResources = {
  'monitoring.coreos.com/v1/ServiceMonitor': checkServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': checkPrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': checkScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': checkTriggerAuthentication,
};

async function validate(object) {
  if (typeof object !== 'object' || Array.isArray(object)) return ['a document is not an object'];
  const key = `${object.apiVersion}/${object.kind}`;
  const problems = [];
  if (!object.metadata?.name) problems.push('metadata.name is missing');
  if (builtIn[key]) {
    problems.push(...await validateBuiltIn(builtIn[key], object));
  } else if (customResources[key]) {
    customResources[key](object, problems);
  } else {
    problems.push(`unknown apiVersion/kind ${key}`);
  }
  return problems;
}

// Runs the compiled schema validator on a copy of the object whose every nested object records the properties the
// validator reads. A schema's validator reads exactly its declared properties (maps are iterated whole), so a
// property nobody read is not in the schema: an unknown field.
async function validateBuiltIn(schemaName, object) {
  const { validate } = await import(`kubernetes-models/_schemas/${schemaName}`);
  const seen = new Map();
  const watched = watch(object, seen);
  const problems = [];
  if (!validate(watched)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '/'} ${describe(e)}`);
  }
  for (const [target, { path, read }] of seen) {
    for (const name of Object.keys(target)) {
      if (!read.has(name)) problems.push(`${path}/${name} is not a field of this kind`);
    }
  }
  return problems;
}

function watch(value, seen, path = '') {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, i) => watch(item, seen, `${path}/${i}`));
  const copy = {};
  for (const [name, item] of Object.entries(value)) copy[name] = watch(item, seen, `${path}/${name}`);
  const read = new Set();
  seen.set(copy, { path, read });
  return new Proxy(copy, {
    get(target, property, receiver) {
      if (typeof property === 'string') read.add(property);
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      if (typeof property === 'string') read.add(property);
      return Reflect.has(target, property);
    },
  });
}

function describe(error) {
  switch (error.keyword) {
    case 'required': return `is missing required field ${error.params.missingProperty}`;
    case 'type': return `must be ${error.params.type}`;
    case 'enum': return `must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case 'format': return `must match format ${error.params.format}`;
    default: return error.message ?? `${error.keyword} ${JSON.stringify(error.params)}`;
  }
}

const duration = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function onlyFields(object, allowed, path, problems) {
  if (!isObject(object)) return;
  for (const name of Object.keys(object)) {
    if (!allowed.includes(name)) problems.push(`${path}/${name} is not a field of this kind`);
  }
}

function checkSelector(selector, path, problems) {
  if (!isObject(selector) || (!isObject(selector.matchLabels) && !Array.isArray(selector.matchExpressions))) {
    problems.push(`${path} must be a label selector (matchLabels or matchExpressions)`);
  }
}

function checkServiceMonitor(object, problems) {
  const spec = object.spec;
  if (!isObject(spec)) { problems.push('/spec is missing'); return; }
  onlyFields(spec, ['selector', 'endpoints', 'namespaceSelector', 'jobLabel', 'targetLabels', 'podTargetLabels',
    'sampleLimit', 'targetLimit', 'scrapeProtocols', 'attachMetadata', 'labelLimit', 'labelNameLengthLimit',
    'labelValueLengthLimit', 'keepDroppedTargets', 'scrapeClass', 'bodySizeLimit', 'fallbackScrapeProtocol',
    'scrapeClassicHistograms', 'nativeHistogramBucketLimit', 'nativeHistogramMinBucketFactor',
    'convertClassicHistogramsToNHCB', 'selectorMechanism', 'serviceDiscoveryRole'], '/spec', problems);
  checkSelector(spec.selector, '/spec/selector', problems);
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) {
    problems.push('/spec/endpoints must list at least one endpoint');
    return;
  }
  spec.endpoints.forEach((endpoint, i) => {
    const path = `/spec/endpoints/${i}`;
    if (!endpoint.port && endpoint.targetPort === undefined) problems.push(`${path} needs port or targetPort`);
    for (const field of ['interval', 'scrapeTimeout']) {
      if (endpoint[field] !== undefined && !duration.test(endpoint[field])) problems.push(`${path}/${field} is not a duration`);
    }
  });
}

function checkPrometheusRule(object, problems) {
  const groups = object.spec?.groups;
  if (!Array.isArray(groups) || groups.length === 0) { problems.push('/spec/groups must list at least one group'); return; }
  onlyFields(object.spec, ['groups'], '/spec', problems);
  const names = new Set();
  groups.forEach((group, g) => {
    const path = `/spec/groups/${g}`;
    onlyFields(group, ['name', 'interval', 'rules', 'partial_response_strategy', 'limit', 'query_offset', 'labels'], path, problems);
    if (!group.name) problems.push(`${path}/name is missing`);
    if (names.has(group.name)) problems.push(`${path}/name ${group.name} is not unique`);
    names.add(group.name);
    if (!Array.isArray(group.rules) || group.rules.length === 0) { problems.push(`${path}/rules must not be empty`); return; }
    group.rules.forEach((rule, r) => {
      const rulePath = `${path}/rules/${r}`;
      onlyFields(rule, ['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'], rulePath, problems);
      if (!rule.alert === !rule.record) problems.push(`${rulePath} needs exactly one of alert and record`);
      if (typeof rule.expr !== 'string' || rule.expr.trim() === '') problems.push(`${rulePath}/expr is missing`);
      if (rule.for !== undefined && !duration.test(rule.for)) problems.push(`${rulePath}/for is not a duration`);
      for (const map of ['labels', 'annotations']) {
        if (rule[map] !== undefined && (!isObject(rule[map]) || Object.values(rule[map]).some(v => typeof v !== 'string'))) {
          problems.push(`${rulePath}/${map} must map strings to strings`);
        }
      }
    });
  });
}

function checkScaledObject(object, problems) {
  const spec = object.spec;
  if (!isObject(spec)) { problems.push('/spec is missing'); return; }
  onlyFields(spec, ['scaleTargetRef', 'pollingInterval', 'cooldownPeriod', 'initialCooldownPeriod', 'idleReplicaCount',
    'minReplicaCount', 'maxReplicaCount', 'fallback', 'advanced', 'triggers'], '/spec', problems);
  if (!spec.scaleTargetRef?.name) problems.push('/spec/scaleTargetRef/name is missing');
  for (const field of ['pollingInterval', 'cooldownPeriod', 'minReplicaCount', 'maxReplicaCount']) {
    if (spec[field] !== undefined && !(Number.isInteger(spec[field]) && spec[field] >= 0)) problems.push(`/spec/${field} must be a non-negative integer`);
  }
  if (Number.isInteger(spec.minReplicaCount) && Number.isInteger(spec.maxReplicaCount) && spec.minReplicaCount > spec.maxReplicaCount) {
    problems.push('/spec/minReplicaCount exceeds maxReplicaCount');
  }
  if (!Array.isArray(spec.triggers) || spec.triggers.length === 0) { problems.push('/spec/triggers must not be empty'); return; }
  spec.triggers.forEach((trigger, i) => {
    const path = `/spec/triggers/${i}`;
    if (!trigger.type) problems.push(`${path}/type is missing`);
    if (!isObject(trigger.metadata) || Object.values(trigger.metadata).some(v => typeof v !== 'string')) {
      problems.push(`${path}/metadata must map strings to strings`);
    }
    if (trigger.authenticationRef !== undefined && !trigger.authenticationRef.name) problems.push(`${path}/authenticationRef/name is missing`);
  });
}

function checkTriggerAuthentication(object, problems) {
  const spec = object.spec;
  if (!isObject(spec)) { problems.push('/spec is missing'); return; }
  const refs = spec.secretTargetRef;
  if (!Array.isArray(refs) || refs.length === 0) { problems.push('/spec/secretTargetRef must not be empty'); return; }
  refs.forEach((ref, i) => {
    for (const field of ['parameter', 'name', 'key']) {
      if (typeof ref[field] !== 'string' || ref[field] === '') problems.push(`/spec/secretTargetRef/${i}/${field} is missing`);
    }
    if (ref.name && !dnsLabel.test(ref.name.replaceAll('.', '-'))) problems.push(`/spec/secretTargetRef/${i}/name is not a valid Secret name`);
  });
}

const input = process.argv[2] && process.argv[2] !== '-' ? process.argv[2] : 0;
let text;
try {
  text = readFileSync(input, 'utf8');
} catch (error) {
  console.error(`cannot read ${input === 0 ? 'stdin' : input}: ${error.message}`);
  process.exit(2);
}

const errors = [];
const objects = [];
for (const document of parseAllDocuments(text)) {
  if (document.errors.length > 0) {
    errors.push(`YAML: ${document.errors.map(e => e.message).join('; ')}`);
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue; // empty document between separators
  objects.push(object);
  const where = `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  for (const message of await validate(object)) errors.push(`${where}: ${message}`);
}

// exitCode, not exit(): exit() can cut off output still being written to a pipe.
console.log(JSON.stringify({ valid: errors.length === 0, errors, objects }));
process.exitCode = errors.length === 0 ? 0 : 1;
