import { runPitContract } from "../src/pit-sim/contract.ts";
import { RecordingPit, SimPit } from "../src/pit-sim/index.ts";

// The contract runs against any factory: the simulation, and a deliberately different Pit that records
// every call and delegates (the injection seam of ADR-004; docs/pit.md).
runPitContract("simulation", (config) => new SimPit(config));
runPitContract("recording Pit around the simulation", (config) => new RecordingPit(new SimPit(config)));
