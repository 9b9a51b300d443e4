/** A small knowledge base for the example: short passages with the metadata a real app would keep. */
export interface Passage {
  title: string;
  source: string;
  text: string;
}

export const DEFAULT_QUERY = 'How does the moon cause ocean tides?';

export const PASSAGES: readonly Passage[] = [
  { title: 'Tides', source: 'oceans.md', text: "The moon's gravity pulls the ocean toward it, raising a bulge of water on the side of the earth facing the moon." },
  { title: 'Tides', source: 'oceans.md', text: 'A second bulge forms on the far side of the earth, so most coasts see two high tides and two low tides each day.' },
  { title: 'Spring tides', source: 'oceans.md', text: 'When the sun and the moon line up at new and full moon, their pulls add together and the tidal range is largest.' },
  { title: 'Neap tides', source: 'oceans.md', text: 'At the quarter moons the sun pulls at right angles to the moon, partly cancelling it, and tides rise and fall the least.' },
  { title: 'Tide tables', source: 'harbours.md', text: 'Harbour masters publish tide tables listing the time and height of each high and low water.' },
  { title: 'Tidal range', source: 'harbours.md', text: 'The Bay of Fundy has the largest tidal range in the world, over fifteen metres, because of the shape of the bay.' },
  { title: 'Ocean currents', source: 'oceans.md', text: 'Ocean currents are driven mostly by wind and by differences in water temperature and salt, not by the moon.' },
  { title: 'Waves', source: 'oceans.md', text: 'Wind blowing across the ocean surface makes waves; the stronger and longer the wind, the bigger the waves.' },
  { title: 'The moon', source: 'astronomy.md', text: 'The moon orbits the earth about once every 27 days and always shows the same face to us.' },
  { title: 'Moon phases', source: 'astronomy.md', text: 'The phases of the moon come from how much of its sunlit half we can see from the earth.' },
  { title: 'Eclipses', source: 'astronomy.md', text: 'A solar eclipse happens when the moon passes between the sun and the earth and casts its shadow on us.' },
  { title: 'Gravity', source: 'physics.md', text: 'Gravity weakens with the square of distance, which is why the near side of the earth feels the moon more than the far side.' },
  { title: 'Orbits', source: 'physics.md', text: 'A satellite stays in orbit because its speed carries it forward as fast as gravity pulls it down.' },
  { title: 'Tidal locking', source: 'astronomy.md', text: "Tidal forces from the earth slowed the moon's spin until one day on the moon lasted one orbit." },
  { title: 'Days getting longer', source: 'astronomy.md', text: "Tidal friction slowly brakes the earth's rotation, so days grow a couple of milliseconds longer each century." },
  { title: 'Sea level', source: 'climate.md', text: 'Sea level is rising as glaciers melt and warming sea water expands.' },
  { title: 'Storm surge', source: 'climate.md', text: 'A storm surge is sea water pushed ashore by a storm; it is most dangerous when it arrives at high tide.' },
  { title: 'Volcanoes', source: 'geology.md', text: 'Volcanoes erupt when magma rises through cracks in the crust and gas pressure forces it out.' },
  { title: 'Earthquakes', source: 'geology.md', text: 'Earthquakes happen when stress built up along a fault is released suddenly.' },
  { title: 'Tsunamis', source: 'geology.md', text: 'A tsunami is a series of long waves set off by an undersea earthquake, not by the moon or the tides.' },
  { title: 'Rivers', source: 'geology.md', text: 'Rivers carry sediment from the mountains and drop it where they slow down near the sea.' },
  { title: 'Estuaries', source: 'geology.md', text: 'In an estuary, fresh river water meets salt water, and the tide pushes sea water far upstream twice a day.' },
  { title: 'Bread', source: 'kitchen.md', text: 'Bread rises because yeast ferments sugars in the dough and releases carbon dioxide.' },
  { title: 'Sourdough', source: 'kitchen.md', text: 'Sourdough is leavened with a starter of wild yeast and lactic acid bacteria instead of packaged yeast.' },
  { title: 'Coffee', source: 'kitchen.md', text: 'Coffee tastes sour when under-extracted and bitter when over-extracted; grind size controls the extraction.' },
  { title: 'Tea', source: 'kitchen.md', text: 'Green tea is best brewed below boiling, around 80 degrees, to avoid bitterness.' },
  { title: 'Photosynthesis', source: 'biology.md', text: 'Plants turn light, water and carbon dioxide into sugar and oxygen in their chloroplasts.' },
  { title: 'Tide pools', source: 'biology.md', text: 'Tide pools are left behind on rocky shores at low tide; their animals must survive heat and changing salt.' },
  { title: 'Coral reefs', source: 'biology.md', text: 'Coral reefs grow in warm, clear, shallow water and are bleached when the sea gets too hot.' },
  { title: 'Migration', source: 'biology.md', text: 'Some birds time their feeding on mudflats to the tides, following the water line as it falls.' },
  { title: 'Sailing', source: 'harbours.md', text: 'Sailors plan to leave harbour on the ebb tide so the falling water carries them out to sea.' },
  { title: 'Lighthouses', source: 'harbours.md', text: 'Lighthouses mark dangerous rocks and harbour entrances with a light of a known pattern.' },
  { title: 'Tidal power', source: 'energy.md', text: 'Tidal power stations trap water at high tide behind a barrage and release it through turbines.' },
  { title: 'Wind power', source: 'energy.md', text: 'Wind turbines turn the kinetic energy of moving air into electricity.' },
  { title: 'Solar power', source: 'energy.md', text: 'Solar panels turn sunlight directly into electricity with semiconductor cells.' },
  { title: 'Newton', source: 'history.md', text: "Isaac Newton explained the tides in 1687 as the effect of the moon's and the sun's gravity on the oceans." },
  { title: 'Galileo', source: 'history.md', text: "Galileo wrongly thought the tides came from the earth's motion, and rejected the moon's influence." },
  { title: 'Calendars', source: 'history.md', text: 'Lunar calendars count months by the phases of the moon, about 29.5 days each.' },
  { title: 'Fishing', source: 'harbours.md', text: 'Fishers often find the best catch around the turn of the tide, when currents carry food past the rocks.' },
  { title: 'Lakes', source: 'geology.md', text: 'Large lakes have tiny tides too, only a few centimetres, because they hold much less water than an ocean.' },
];
