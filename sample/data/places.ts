/**
 * French places: cities with a real postcode and a rough population weight (so Paris, Lyon and
 * Marseille dominate, as in any French customer base), street types with their usual
 * abbreviations, street names, phone prefixes and email domains.
 */

/** [city, postcode, weight]. One postcode per city (arrondissements collapsed where noted). */
export const CITIES: readonly (readonly [string, string, number])[] = [
  ["Paris", "75001", 8], ["Paris", "75008", 12], ["Paris", "75011", 30], ["Paris", "75012", 28],
  ["Paris", "75013", 35], ["Paris", "75015", 45], ["Paris", "75016", 33], ["Paris", "75017", 32],
  ["Paris", "75018", 38], ["Paris", "75019", 36], ["Paris", "75020", 38], ["Paris", "75005", 12],
  ["Marseille", "13001", 15], ["Marseille", "13008", 30], ["Marseille", "13013", 30], ["Marseille", "13012", 20],
  ["Lyon", "69001", 10], ["Lyon", "69003", 25], ["Lyon", "69007", 22], ["Lyon", "69008", 18],
  ["Toulouse", "31000", 48], ["Nice", "06000", 34], ["Nantes", "44000", 32], ["Montpellier", "34000", 30],
  ["Strasbourg", "67000", 29], ["Bordeaux", "33000", 26], ["Lille", "59000", 23], ["Rennes", "35000", 22],
  ["Reims", "51100", 18], ["Toulon", "83000", 18], ["Saint-Étienne", "42000", 17], ["Le Havre", "76600", 17],
  ["Grenoble", "38000", 16], ["Dijon", "21000", 16], ["Angers", "49000", 15], ["Nîmes", "30000", 15],
  ["Villeurbanne", "69100", 15], ["Clermont-Ferrand", "63000", 15], ["Le Mans", "72000", 14],
  ["Aix-en-Provence", "13100", 14], ["Brest", "29200", 14], ["Tours", "37000", 14], ["Amiens", "80000", 13],
  ["Limoges", "87000", 13], ["Annecy", "74000", 13], ["Perpignan", "66000", 12], ["Boulogne-Billancourt", "92100", 12],
  ["Metz", "57000", 12], ["Besançon", "25000", 12], ["Orléans", "45000", 12], ["Saint-Denis", "93200", 11],
  ["Argenteuil", "95100", 11], ["Rouen", "76000", 11], ["Mulhouse", "68100", 11], ["Montreuil", "93100", 11],
  ["Caen", "14000", 11], ["Nancy", "54000", 10], ["Saint-Paul", "97460", 10], ["Roubaix", "59100", 10],
  ["Tourcoing", "59200", 10], ["Nanterre", "92000", 10], ["Vitry-sur-Seine", "94400", 10], ["Avignon", "84000", 9],
  ["Créteil", "94000", 9], ["Dunkerque", "59140", 9], ["Poitiers", "86000", 9], ["Asnières-sur-Seine", "92600", 9],
  ["Courbevoie", "92400", 9], ["Versailles", "78000", 9], ["Colombes", "92700", 8], ["Fort-de-France", "97200", 8],
  ["Aulnay-sous-Bois", "93600", 8], ["Saint-Pierre", "97410", 8], ["Rueil-Malmaison", "92500", 8],
  ["Pau", "64000", 8], ["Aubervilliers", "93300", 8], ["Le Tampon", "97430", 8], ["Champigny-sur-Marne", "94500", 8],
  ["Antibes", "06600", 8], ["Béziers", "34500", 8], ["La Rochelle", "17000", 8], ["Saint-Maur-des-Fossés", "94100", 7],
  ["Cannes", "06400", 7], ["Calais", "62100", 7], ["Saint-Nazaire", "44600", 7], ["Mérignac", "33700", 7],
  ["Drancy", "93700", 7], ["Colmar", "68000", 7], ["Ajaccio", "20000", 7], ["Bourges", "18000", 6],
  ["Issy-les-Moulineaux", "92130", 6], ["Levallois-Perret", "92300", 6], ["La Seyne-sur-Mer", "83500", 6],
  ["Quimper", "29000", 6], ["Noisy-le-Grand", "93160", 6], ["Villeneuve-d'Ascq", "59650", 6],
  ["Neuilly-sur-Seine", "92200", 6], ["Valence", "26000", 6], ["Antony", "92160", 6], ["Cergy", "95000", 6],
  ["Vénissieux", "69200", 6], ["Pessac", "33600", 6], ["Troyes", "10000", 6], ["Clichy", "92110", 6],
  ["Ivry-sur-Seine", "94200", 6], ["Chambéry", "73000", 6], ["Lorient", "56100", 6], ["Les Abymes", "97139", 6],
  ["Montauban", "82000", 6], ["Sarcelles", "95200", 6], ["Niort", "79000", 6], ["Villejuif", "94800", 5],
  ["Saint-André", "97440", 5], ["Hyères", "83400", 5], ["Saint-Quentin", "02100", 5], ["Beauvais", "60000", 5],
  ["Épinay-sur-Seine", "93800", 5], ["Cayenne", "97300", 5], ["Maisons-Alfort", "94700", 5],
  ["Cholet", "49300", 5], ["Meaux", "77100", 5], ["Chelles", "77500", 5], ["Pantin", "93500", 5],
  ["Évry-Courcouronnes", "91000", 5], ["Fontenay-sous-Bois", "94120", 5], ["Fréjus", "83600", 5],
  ["Vannes", "56000", 5], ["Bondy", "93140", 5], ["La Roche-sur-Yon", "85000", 5], ["Arles", "13200", 5],
  ["Clamart", "92140", 5], ["Narbonne", "11100", 5], ["Annemasse", "74100", 4], ["Sartrouville", "78500", 4],
  ["Grasse", "06130", 4], ["Laval", "53000", 4], ["Belfort", "90000", 4], ["Bayonne", "64100", 4],
  ["Évreux", "27000", 4], ["Vincennes", "94300", 4], ["Montrouge", "92120", 4], ["Sevran", "93270", 4],
  ["Albi", "81000", 4], ["Charleville-Mézières", "08000", 4], ["Suresnes", "92150", 4], ["Martigues", "13500", 4],
  ["Corbeil-Essonnes", "91100", 4], ["Saint-Ouen-sur-Seine", "93400", 4], ["Bastia", "20200", 4],
  ["Blois", "41000", 4], ["Brive-la-Gaillarde", "19100", 4], ["Châteauroux", "36000", 4], ["Cagnes-sur-Mer", "06800", 4],
  ["Saint-Malo", "35400", 4], ["Chalon-sur-Saône", "71100", 4], ["Châlons-en-Champagne", "51000", 4],
  ["Meudon", "92190", 4], ["Puteaux", "92800", 4], ["Saint-Brieuc", "22000", 4], ["Carcassonne", "11000", 4],
  ["Angoulême", "16000", 3], ["Tarbes", "65000", 3], ["Agen", "47000", 3], ["Périgueux", "24000", 3],
  ["Mâcon", "71000", 3], ["Auxerre", "89000", 3], ["Nevers", "58000", 3], ["Épinal", "88000", 3],
  ["Bar-le-Duc", "55000", 2], ["Chartres", "28000", 3], ["Alençon", "61000", 2], ["Saint-Lô", "50000", 2],
  ["Cherbourg-en-Cotentin", "50100", 3], ["Dieppe", "76200", 2], ["Arras", "62000", 3], ["Lens", "62300", 3],
  ["Douai", "59500", 3], ["Valenciennes", "59300", 3], ["Cambrai", "59400", 2], ["Maubeuge", "59600", 2],
  ["Compiègne", "60200", 3], ["Soissons", "02200", 2], ["Laon", "02000", 2], ["Sens", "89100", 2],
  ["Vichy", "03200", 2], ["Montluçon", "03100", 2], ["Moulins", "03000", 2], ["Aurillac", "15000", 2],
  ["Le Puy-en-Velay", "43000", 2], ["Rodez", "12000", 2], ["Cahors", "46000", 2], ["Auch", "32000", 2],
  ["Mont-de-Marsan", "40000", 2], ["Dax", "40100", 2], ["Biarritz", "64200", 2], ["Lourdes", "65100", 1],
  ["Foix", "09000", 1], ["Castres", "81100", 2], ["Millau", "12100", 1], ["Sète", "34200", 2],
  ["Alès", "30100", 2], ["Orange", "84100", 2], ["Carpentras", "84200", 2], ["Gap", "05000", 2],
  ["Digne-les-Bains", "04000", 1], ["Draguignan", "83300", 2], ["Menton", "06500", 2], ["Salon-de-Provence", "13300", 2],
  ["Istres", "13800", 2], ["Aubagne", "13400", 2], ["La Ciotat", "13600", 2], ["Vienne", "38200", 2],
  ["Bourg-en-Bresse", "01000", 2], ["Roanne", "42300", 2], ["Thonon-les-Bains", "74200", 2], ["Aix-les-Bains", "73100", 2],
  ["Albertville", "73200", 1], ["Lons-le-Saunier", "39000", 1], ["Dole", "39100", 1], ["Pontarlier", "25300", 1],
  ["Montbéliard", "25200", 2], ["Vesoul", "70000", 1], ["Thionville", "57100", 2], ["Forbach", "57600", 1],
  ["Sarreguemines", "57200", 1], ["Haguenau", "67500", 2], ["Sélestat", "67600", 1], ["Saint-Dié-des-Vosges", "88100", 1],
  ["Lunéville", "54300", 1], ["Verdun", "55100", 1], ["Chaumont", "52000", 1], ["Saint-Dizier", "52100", 1],
  ["Épernay", "51200", 1], ["Sedan", "08200", 1], ["Lisieux", "14100", 1], ["Bayeux", "14400", 1],
  ["Fécamp", "76400", 1], ["Vernon", "27200", 1], ["Dreux", "28100", 1], ["Rambouillet", "78120", 1],
  ["Fontainebleau", "77300", 1], ["Melun", "77000", 2], ["Étampes", "91150", 1], ["Pontoise", "95300", 1],
  ["Saint-Germain-en-Laye", "78100", 2], ["Poissy", "78300", 2], ["Mantes-la-Jolie", "78200", 2],
  ["Vierzon", "18100", 1], ["Saumur", "49400", 1], ["Cognac", "16100", 1], ["Saintes", "17100", 1],
  ["Rochefort", "17300", 1], ["Royan", "17200", 1], ["Arcachon", "33120", 1], ["Libourne", "33500", 1],
  ["Bergerac", "24100", 1], ["Sarlat-la-Canéda", "24200", 1], ["Quimperlé", "29300", 1], ["Morlaix", "29600", 1],
  ["Lannion", "22300", 1], ["Dinan", "22100", 1], ["Fougères", "35300", 1], ["Vitré", "35500", 1],
  ["Pontivy", "56300", 1], ["Auray", "56400", 1], ["Concarneau", "29900", 1], ["Les Sables-d'Olonne", "85100", 1],
];

/** [full form, abbreviations seen in the wild]. */
export const STREET_TYPES: readonly (readonly [string, readonly string[], number])[] = [
  ["rue", ["r.", "R"], 55],
  ["avenue", ["av.", "ave", "av"], 15],
  ["boulevard", ["bd", "bld", "boul."], 8],
  ["place", ["pl.", "pl"], 5],
  ["chemin", ["ch.", "chem."], 5],
  ["allée", ["all.", "allee"], 5],
  ["impasse", ["imp.", "imp"], 4],
  ["route", ["rte", "rte."], 3],
];

export const STREET_NAMES: readonly string[] = [
  "de la République", "Victor Hugo", "Jean Jaurès", "de la Gare", "Pasteur", "du Général de Gaulle",
  "de l'Église", "des Écoles", "du Moulin", "de la Paix", "Gambetta", "Jules Ferry", "Émile Zola",
  "Voltaire", "de Verdun", "du Stade", "des Lilas", "des Tilleuls", "du Château", "de la Mairie",
  "Nationale", "de Paris", "Carnot", "Anatole France", "Saint-Michel", "de la Fontaine", "des Acacias",
  "du Maréchal Foch", "Louis Pasteur", "Henri Barbusse", "Paul Bert", "de Strasbourg", "de Lattre de Tassigny",
  "Alsace-Lorraine", "du 8 Mai 1945", "du 11 Novembre", "des Peupliers", "des Roses", "Molière",
  "Lamartine", "Jean Moulin", "Aristide Briand", "Georges Clemenceau", "Pierre Curie", "Marie Curie",
  "de la Liberté", "des Vignes", "du Port", "de Bretagne", "de Lyon", "Sainte-Anne", "de la Croix",
  "des Jardins", "du Commerce", "Thiers", "Denfert-Rochereau", "Montmartre", "de Belleville", "Mozart",
];

/** Apartment / building complements, sometimes folded into the street line by agents. */
export const COMPLEMENTS: readonly string[] = ["Bât. A", "Bâtiment B", "Apt 12", "Appt 3", "Esc. 2", "Résidence Les Pins", "3e étage"];

const expand = (ranges: readonly (readonly [number, number])[]): readonly number[] =>
  ranges.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));

/**
 * Allocated 3-digit prefixes after the trunk 0 (checked against libphonenumber-js metadata):
 * mobiles 06/07, landlines 01–05 by region and 09 (internet boxes). Numbers drawn from these are
 * valid French numbers, not just ten digits.
 */
export const MOBILE_PREFIXES = expand([[600, 638], [640, 689], [695, 695], [698, 699], [730, 799]]);
export const LANDLINE_PREFIXES = expand([[100, 261], [263, 399], [410, 589], [591, 593], [595, 599], [900, 999]]);

/** [domain, weight]: French consumer mail is dominated by Gmail and the ISPs. */
export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["gmail.com", 40], ["orange.fr", 14], ["hotmail.fr", 10], ["yahoo.fr", 7], ["free.fr", 7], ["wanadoo.fr", 5],
  ["outlook.fr", 4], ["sfr.fr", 4], ["laposte.net", 4], ["hotmail.com", 3], ["icloud.com", 3], ["live.fr", 2],
  ["neuf.fr", 1], ["bbox.fr", 1],
];

/** Misspelt domains as typed at a till or a call centre. */
export const DOMAIN_TYPOS: Readonly<Record<string, readonly string[]>> = {
  "gmail.com": ["gmial.com", "gmail.fr", "gmal.com", "gmail.con", "gmaill.com"],
  "orange.fr": ["orage.fr", "orange.com", "ornage.fr"],
  "hotmail.fr": ["hotmial.fr", "hotmail.fe", "homail.fr"],
  "yahoo.fr": ["yaho.fr", "yahoo.com", "yahou.fr"],
  "free.fr": ["fre.fr", "free.com"],
  "wanadoo.fr": ["wanado.fr", "wanadoo.com"],
  "outlook.fr": ["outlok.fr", "outloock.fr"],
  "sfr.fr": ["srf.fr"],
  "laposte.net": ["laposte.fr", "lapost.net"],
  "hotmail.com": ["hotmial.com", "hotmail.co"],
  "icloud.com": ["iclound.com", "icloud.fr"],
  "live.fr": ["live.com"],
  "neuf.fr": ["neuf.com"],
  "bbox.fr": ["bbox.com"],
};

/** Company-ish names for B2B contacts of the CRM. */
export const COMPANY_WORDS: readonly string[] = [
  "Boulangerie", "Garage", "Cabinet", "Pharmacie", "Atelier", "Hôtel", "Restaurant", "Librairie",
  "Menuiserie", "Fleurs", "Transports", "Conseil", "Immobilier", "Coiffure", "Épicerie",
];
