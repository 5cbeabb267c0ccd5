/**
 * The stories the level generator draws from (docs/generator.md): per tier, themes whose words fit the
 * grammar's roles. A role's function names, descriptions and outputs are written to make sense together:
 * `first` is made fast by `first.fn` or thoroughly by `slow.fn`; `second` needs `first`; `side` is
 * independent; `join` needs `side`; `finish` needs what the tier's shape asks for and reaches the goal.
 */

export interface Role {
  readonly fn: string;
  readonly desc: string;
  /** What it makes: an artifact id (or a fact id for `finish`). */
  readonly out: string;
}

export interface Theme {
  readonly tier: 1 | 2 | 3 | 4;
  readonly key: string;
  /** One of the shipped scene arts of the tier. */
  readonly scene: string;
  readonly titles: readonly string[];
  readonly intro: string;
  readonly goal: string;
  readonly success: string;
  readonly pools: {
    readonly light: readonly [string, string];
    /** A pool that heats (tier 2 and up) or starts cold (tier 3 and up). */
    readonly heavy: readonly [string, string];
  };
  readonly first: Role;
  readonly slow: { readonly fn: string; readonly desc: string };
  readonly second: Role;
  readonly side: Role;
  readonly join: Role;
  readonly finish: Role;
  /** Functions nothing needs: tempting, and a waste. */
  readonly distractors: readonly Role[];
  /** Tier 4: the fallback that does `second`'s job by hand, and an optional extra the goal can do without. */
  readonly manual?: { readonly fn: string; readonly desc: string };
  readonly optional?: Role;
}

export const THEMES: readonly Theme[] = [
  {
    tier: 1,
    key: "cellar",
    scene: "room",
    titles: ["The Wine Cellar", "The Locked Cellar", "The Vintner's Cellar"],
    intro:
      "The vintner's cellar door has swollen shut, and the harvest feast is tonight. The cellar plan says where the spare hinge pin hides; you could also map every shelf yourself, but that takes the whole afternoon.",
    goal: "Open the cellar and bring up the feast wine.",
    success: "The cellar door swings open and the wine comes up in time.",
    pools: { light: ["hands", "Your hands"], heavy: ["cart", "Hand cart"] },
    first: {
      fn: "read_cellar_plan",
      desc: "Read the old cellar plan pinned by the door.",
      out: "cellar_plan",
    },
    slow: { fn: "map_every_shelf", desc: "Map every shelf in the cellar yourself. Thorough, and slow." },
    second: {
      fn: "fit_hinge_pin",
      desc: "Fit the spare hinge pin where the plan marks it.",
      out: "door_freed",
    },
    side: { fn: "fetch_lantern", desc: "Fetch a lantern for the dark stairs.", out: "lantern" },
    join: { fn: "light_the_stairs", desc: "Hang the lantern over the stairs.", out: "stairs_lit" },
    finish: { fn: "bring_up_wine", desc: "Carry the feast wine up the stairs.", out: "wine_served" },
    distractors: [
      {
        fn: "dust_the_bottles",
        desc: "Dust every bottle on the racks. Nobody will check.",
        out: "dusty_rags",
      },
      { fn: "count_the_corks", desc: "Count the loose corks in the barrel.", out: "cork_tally" },
    ],
  },
  {
    tier: 1,
    key: "beacon",
    scene: "lighthouse",
    titles: ["The Harbour Beacon", "The Storm Beacon", "The Cliff Beacon"],
    intro:
      "Fog rolls over the harbour and the beacon on the cliff is dark. The keeper's logbook lists the right oil for this lamp; testing every oil in the store would also work, given an hour you do not have.",
    goal: "Light the beacon before the fishing boats come home.",
    success: "The beacon burns through the fog, and the boats steer home by it.",
    pools: { light: ["keeper", "The keeper"], heavy: ["winch", "Oil winch"] },
    first: { fn: "read_logbook", desc: "Read the keeper's logbook for the lamp's oil.", out: "oil_note" },
    slow: { fn: "test_every_oil", desc: "Test every oil in the store on the lamp. Thorough, and slow." },
    second: { fn: "fill_the_lamp", desc: "Fill the lamp with the oil the note names.", out: "lamp_filled" },
    side: { fn: "trim_the_wick", desc: "Trim the charred wick.", out: "clean_wick" },
    join: { fn: "set_the_wick", desc: "Set the trimmed wick in the lamp.", out: "wick_set" },
    finish: { fn: "light_the_beacon", desc: "Strike the flint and light the beacon.", out: "beacon_lit" },
    distractors: [
      { fn: "polish_the_lens", desc: "Polish the great lens until it gleams.", out: "lens_shine" },
      { fn: "paint_the_railing", desc: "Repaint the gallery railing.", out: "wet_paint" },
    ],
  },
  {
    tier: 2,
    key: "bakery",
    scene: "kitchen",
    titles: ["The Midnight Bakery", "The Festival Bakery", "The Village Ovens"],
    intro:
      "The village fair opens at dawn and the bakery has one oven. Two batches must bake in it, and an oven worked back to back overheats and burns the bread. Do something cool between the bakes.",
    goal: "Lay out the fair's bread and pies by dawn.",
    success: "Warm bread and pies fill the stall, and nothing burned.",
    pools: { light: ["bakers", "Bakers"], heavy: ["oven", "Oven"] },
    first: { fn: "knead_dough", desc: "Knead the bread dough.", out: "dough" },
    slow: { fn: "knead_by_the_book", desc: "Knead the dough by the old recipe book's slow method." },
    second: { fn: "bake_bread", desc: "Bake the bread. Heavy work: the oven runs hot.", out: "bread" },
    side: { fn: "roll_pastry", desc: "Roll out the pie pastry.", out: "pastry" },
    join: { fn: "bake_pies", desc: "Bake the pies in the same oven. Also heavy.", out: "pies" },
    finish: {
      fn: "lay_out_stall",
      desc: "Lay the bread and pies out on the fair stall.",
      out: "stall_ready",
    },
    distractors: [
      { fn: "ice_extra_buns", desc: "Ice a tray of buns nobody ordered.", out: "iced_buns" },
      { fn: "sweep_the_floor", desc: "Sweep the flour off the floor, again.", out: "swept_flour" },
    ],
  },
  {
    tier: 2,
    key: "smithy",
    scene: "forge",
    titles: ["The Farrier's Forge", "The Smithy Orders", "The Horseshoe Rush"],
    intro:
      "A caravan needs new horseshoes and a wagon axle by nightfall. Both are forged in the one furnace, and forging twice without a pause cracks it. Let it cool between heavy work.",
    goal: "Shoe the horses and mend the wagon before nightfall.",
    success: "The caravan leaves on new shoes and a sound axle; the furnace never cracked.",
    pools: { light: ["apprentices", "Apprentices"], heavy: ["furnace", "Furnace"] },
    first: { fn: "sort_iron_bars", desc: "Sort the iron bars by grade.", out: "iron_bars" },
    slow: { fn: "assay_every_bar", desc: "Assay every bar in the yard. Thorough, and slow." },
    second: {
      fn: "forge_horseshoes",
      desc: "Forge the horseshoes. Heavy: the furnace runs hot.",
      out: "horseshoes",
    },
    side: { fn: "measure_the_axle", desc: "Measure the broken axle.", out: "axle_measure" },
    join: {
      fn: "forge_the_axle",
      desc: "Forge a new axle in the same furnace. Also heavy.",
      out: "new_axle",
    },
    finish: { fn: "fit_and_shoe", desc: "Fit the axle and shoe the horses.", out: "caravan_ready" },
    distractors: [
      { fn: "engrave_the_anvil", desc: "Engrave the smithy's name on the anvil.", out: "engraving" },
      { fn: "polish_the_tongs", desc: "Polish every pair of tongs.", out: "shiny_tongs" },
    ],
  },
  {
    tier: 3,
    key: "regatta",
    scene: "harbour",
    titles: ["The Harbour Regatta", "The Summer Regatta", "The Lantern Regatta"],
    intro:
      "The regatta starts at noon. The boat crews and the rigging team can work side by side, and the rigging team takes time to get going from cold, so warm them up before you need them.",
    goal: "Get the boats rigged and the course marked for the regatta.",
    success: "Sails fill on the start line: crews worked in parallel and the riggers were warm when needed.",
    pools: { light: ["crews", "Boat crews"], heavy: ["riggers", "Rigging team"] },
    first: { fn: "check_the_hulls", desc: "Check each hull for leaks.", out: "hull_check" },
    slow: { fn: "dry_dock_every_boat", desc: "Haul every boat into dry dock to inspect it. Slow." },
    second: { fn: "rig_the_masts", desc: "Rig the masts on the checked boats.", out: "masts_rigged" },
    side: { fn: "chart_the_course", desc: "Chart the course around the bay.", out: "course_chart" },
    join: { fn: "set_the_buoys", desc: "Set the buoys where the chart says.", out: "buoys_set" },
    finish: { fn: "fire_the_start_gun", desc: "Fire the starting gun.", out: "regatta_started" },
    distractors: [
      { fn: "paint_the_pier", desc: "Repaint the pier posts.", out: "painted_posts" },
      {
        fn: "print_programmes",
        desc: "Print glossy programmes. Everyone has one already.",
        out: "programmes",
      },
    ],
  },
  {
    tier: 3,
    key: "gala",
    scene: "theatre",
    titles: ["The Opening Gala", "The Winter Gala", "The Charity Gala"],
    intro:
      "The gala curtain rises at eight. Stagehands and the lighting crew can work at the same time, and the lighting rig takes a while to warm up from cold: warm it ahead of need.",
    goal: "Have the stage set and the lights cued before the curtain rises.",
    success: "The curtain rises on a set stage under warm lights, right on time.",
    pools: { light: ["stagehands", "Stagehands"], heavy: ["lighting", "Lighting rig"] },
    first: { fn: "unload_the_set", desc: "Unload the set pieces from the truck.", out: "set_pieces" },
    slow: { fn: "inventory_every_crate", desc: "Open and inventory every crate on the truck. Slow." },
    second: { fn: "hang_the_lights", desc: "Hang the lights over the set pieces.", out: "lights_hung" },
    side: { fn: "write_the_cue_sheet", desc: "Write the lighting cue sheet.", out: "cue_sheet" },
    join: { fn: "program_the_cues", desc: "Program the cues into the lighting desk.", out: "cues_set" },
    finish: { fn: "raise_the_curtain", desc: "Raise the curtain.", out: "curtain_up" },
    distractors: [
      { fn: "gild_the_boxes", desc: "Gild the balcony boxes.", out: "gilt" },
      { fn: "rehearse_the_bows", desc: "Rehearse the bows one more time.", out: "bow_notes" },
    ],
  },
  {
    tier: 4,
    key: "observatory-night",
    scene: "laboratory",
    titles: ["The Comet Night", "The Eclipse Watch", "The Meteor Shower"],
    intro:
      "The comet is visible for one night. The plate developer jams on its first run but is safe to run again; the automatic aligner is broken, so the assistants align by hand; the weather service is down, and the watch can go ahead without its forecast.",
    goal: "Capture the comet on a developed plate and publish the sighting.",
    success: "The sighting is published: every failure met its prepared recovery.",
    pools: { light: ["assistants", "Assistants"], heavy: ["instruments", "Instruments"] },
    first: {
      fn: "develop_plates",
      desc: "Develop fresh photographic plates. Jams sometimes; safe to retry once.",
      out: "plates",
    },
    slow: { fn: "coat_plates_by_hand", desc: "Coat every plate by hand. Slow." },
    second: {
      fn: "align_telescope",
      desc: "Run the automatic aligner. Falls back to aligning by hand.",
      out: "alignment",
    },
    side: { fn: "log_star_field", desc: "Log the star field around the comet.", out: "star_log" },
    join: { fn: "expose_the_plates", desc: "Expose the plates on the comet.", out: "exposures" },
    finish: {
      fn: "publish_sighting",
      desc: "Publish the sighting with the exposures.",
      out: "sighting_published",
    },
    distractors: [
      { fn: "polish_the_dome", desc: "Polish the observatory dome.", out: "shiny_dome" },
      { fn: "catalogue_old_plates", desc: "Catalogue last year's plates.", out: "old_catalogue" },
    ],
    manual: {
      fn: "align_by_hand",
      desc: "The assistants align the telescope by hand: slower, but it works.",
    },
    optional: {
      fn: "fetch_forecast",
      desc: "Ask the weather service for a forecast. Optional.",
      out: "forecast",
    },
  },
  {
    tier: 4,
    key: "dispatch",
    scene: "control-room",
    titles: ["The Night Dispatch", "The Flood Dispatch", "The Rescue Dispatch"],
    intro:
      "Rescue teams must go out tonight. The map printer jams on its first run but is safe to run again; the route planner is down, so the dispatchers plan by hand; the radio relay is out, and the teams can leave without it.",
    goal: "Send the rescue teams out with routes and equipment.",
    success: "The teams roll out on planned routes: every failure had a plan.",
    pools: { light: ["dispatchers", "Dispatchers"], heavy: ["systems", "Dispatch systems"] },
    first: {
      fn: "print_maps",
      desc: "Print the area maps. The printer jams sometimes; safe to retry once.",
      out: "maps",
    },
    slow: { fn: "draw_maps_by_hand", desc: "Draw every map by hand. Slow." },
    second: {
      fn: "plan_routes",
      desc: "Run the route planner. Falls back to planning by hand.",
      out: "routes",
    },
    side: { fn: "check_equipment", desc: "Check the rescue equipment.", out: "equipment_list" },
    join: {
      fn: "load_vehicles",
      desc: "Load the vehicles with the checked equipment.",
      out: "vehicles_loaded",
    },
    finish: { fn: "dispatch_teams", desc: "Dispatch the teams.", out: "teams_dispatched" },
    distractors: [
      { fn: "repaint_the_sign", desc: "Repaint the station sign.", out: "new_sign" },
      { fn: "file_old_reports", desc: "File last month's reports.", out: "filed_reports" },
    ],
    manual: { fn: "plan_by_hand", desc: "The dispatchers plan routes by hand: slower, but it works." },
    optional: {
      fn: "radio_the_relay",
      desc: "Call the radio relay for updates. Optional.",
      out: "relay_update",
    },
  },
];
