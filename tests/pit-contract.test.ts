import { runPitContract } from "../src/pit-sim/contract.ts";
import { SimPit } from "../src/pit-sim/index.ts";

runPitContract("simulation", (config) => new SimPit(config));
