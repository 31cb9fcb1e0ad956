import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import { loadLinyiGazetteer } from '../../routing-rules/gazetteer.js';
import type { DivisionLocator } from '../cases/case-intake.js';
import type { UnitDirectory } from './unit-directory.js';

/** Places cases by the gazetteer (address text) and by the organisation tree (explicit codes). */
export function createDivisionLocator(units: UnitDirectory): DivisionLocator {
  const resolver = createAddressResolver(loadLinyiGazetteer());
  return {
    locateText: (text) => {
      const r = resolver.resolveDivision(text);
      return { countyCode: r.countyCode, townshipCode: r.townshipCode, explanation: r.explanation, ...(r.ambiguous.length ? { ambiguous: r.ambiguous } : {}) };
    },
    locateCode: (code) => {
      const unit = units.get(code);
      if (unit?.kind === 'township') return { countyCode: unit.parentCode, townshipCode: unit.code, explanation: `division ${unit.name} given explicitly` };
      if (unit?.kind === 'county') return { countyCode: unit.code, townshipCode: null, explanation: `division ${unit.name} given explicitly` };
      return undefined;
    },
  };
}
