import { describe, expect, it } from '@jest/globals';
import { DEFAULT_MODELS, parseModelList } from './names.js';
import { LEVEL_MODELS, MODELS } from './registry.js';

describe('model names', () => {
  it('agree with the registry, and the default race is every model but the random forest', () => {
    expect([...Object.keys(MODELS), ...LEVEL_MODELS].sort()).toEqual(
      [...DEFAULT_MODELS, 'RandomForest'].sort(),
    );
  });

  it('parses a list, dropping repeats', () => {
    expect(parseModelList('ETS, Prophet,ETS')).toEqual(['ETS', 'Prophet']);
  });

  it('refuses an unknown name, naming it and the known ones', () => {
    expect(() => parseModelList('ETS,Oracle')).toThrow(
      'FORECASTER_MODELS: unknown model Oracle; the models are SeasonalNaive, Mean, ARIMA, ETS, MSTL, Prophet, XGBoost, RandomForest, TSB, Croston, ADIDA, Global, Profile',
    );
  });
});
