import { describe, expect, it } from "vitest";
import { EARTH_RADIUS_KM, haversineKm } from "../src/numeric/geo-distance.ts";

const paris = { lat: 48.8566, lon: 2.3522 };
const london = { lat: 51.5074, lon: -0.1278 };

describe("haversineKm", () => {
  it("measures Paris–London at about 343.5 km", () => {
    expect(haversineKm(paris, london)).toBeCloseTo(343.5, 0);
    expect(haversineKm(paris, london)).toBeCloseTo(haversineKm(london, paris), 12);
  });

  it("is 0 for the same point", () => {
    expect(haversineKm(paris, paris)).toBe(0);
  });

  it("is π·R for antipodes", () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 9);
    expect(haversineKm({ lat: 45, lon: 10 }, { lat: -45, lon: -170 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
    expect(haversineKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 9);
  });

  it("gives R·(π/180) for one degree along the equator or a meridian", () => {
    const oneDegree = (EARTH_RADIUS_KM * Math.PI) / 180; // ≈ 111.195 km
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(oneDegree, 9);
    expect(haversineKm({ lat: 10, lon: 30 }, { lat: 11, lon: 30 })).toBeCloseTo(oneDegree, 9);
    expect(oneDegree).toBeCloseTo(111.195, 3);
  });

  it("crosses the antimeridian the short way", () => {
    const oneDegree = (EARTH_RADIUS_KM * Math.PI) / 180;
    expect(haversineKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(oneDegree, 9);
  });
});
