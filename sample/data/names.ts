/**
 * French given names and surnames, embedded as data. Weights are rough relative frequencies so
 * that common names are common: many distinct "Marie Martin" must exist for identity resolution
 * to be tested against homonyms, not just against typos.
 */

/** [name, weight]. Accents and compounds on purpose: they are what sources mangle. */
export const FEMALE_FIRST: readonly (readonly [string, number])[] = [
  ["Marie", 60], ["Nathalie", 30], ["Isabelle", 30], ["Sylvie", 25], ["Catherine", 25], ["Françoise", 22],
  ["Christine", 22], ["Monique", 15], ["Valérie", 20], ["Sandrine", 20], ["Stéphanie", 20], ["Céline", 18],
  ["Sophie", 22], ["Julie", 22], ["Camille", 20], ["Léa", 22], ["Manon", 18], ["Chloé", 18], ["Emma", 20],
  ["Inès", 12], ["Hélène", 14], ["Aurélie", 15], ["Émilie", 15], ["Laëtitia", 8], ["Anaïs", 10],
  ["Noémie", 8], ["Élodie", 12], ["Mélanie", 12], ["Virginie", 12], ["Patricia", 12], ["Martine", 14],
  ["Brigitte", 12], ["Danielle", 8], ["Josiane", 5], ["Geneviève", 6], ["Thérèse", 5], ["Agnès", 8],
  ["Béatrice", 7], ["Cécile", 10], ["Claire", 14], ["Anne", 18], ["Caroline", 12], ["Laure", 8],
  ["Pauline", 14], ["Lucie", 14], ["Clémence", 8], ["Margaux", 8], ["Océane", 7], ["Zoé", 10],
  ["Louise", 14], ["Jade", 12], ["Alice", 12], ["Lina", 8], ["Rose", 6], ["Anna", 8], ["Mila", 6],
  ["Ambre", 6], ["Juliette", 10], ["Éloïse", 5], ["Maëlle", 5], ["Gaëlle", 6], ["Solène", 5],
  ["Fatima", 6], ["Yasmine", 5], ["Aïcha", 4], ["Nadia", 5], ["Leïla", 4],
  ["Marie-Claire", 5], ["Marie-Christine", 5], ["Anne-Sophie", 7], ["Marie-Hélène", 4],
  ["Anne-Marie", 6], ["Marie-Thérèse", 3], ["Marie-Laure", 4], ["Marie-France", 3], ["Marie-Pierre", 2],
];

export const MALE_FIRST: readonly (readonly [string, number])[] = [
  ["Jean", 45], ["Pierre", 30], ["Michel", 28], ["Philippe", 25], ["Alain", 20], ["Nicolas", 25],
  ["Christophe", 22], ["Patrick", 20], ["Daniel", 15], ["Bernard", 15], ["Éric", 18], ["Frédéric", 16],
  ["Laurent", 20], ["Stéphane", 18], ["Sébastien", 18], ["Julien", 20], ["David", 18], ["Thomas", 22],
  ["Olivier", 18], ["Pascal", 14], ["Thierry", 14], ["Jérôme", 14], ["François", 18], ["Gérard", 12],
  ["André", 12], ["Jacques", 16], ["René", 8], ["Hervé", 8], ["Benoît", 10], ["Cédric", 10],
  ["Jérémy", 10], ["Maxime", 14], ["Alexandre", 16], ["Antoine", 16], ["Hugo", 16], ["Lucas", 18],
  ["Louis", 16], ["Gabriel", 14], ["Léo", 16], ["Raphaël", 12], ["Arthur", 14], ["Jules", 12],
  ["Adam", 10], ["Noé", 8], ["Théo", 12], ["Mathéo", 6], ["Enzo", 8], ["Clément", 10], ["Mathis", 8],
  ["Baptiste", 8], ["Romain", 12], ["Guillaume", 12], ["Vincent", 12], ["Mickaël", 8], ["Grégory", 8],
  ["Yannick", 6], ["Gaël", 5], ["Loïc", 6], ["Joël", 5], ["Noël", 4], ["Mohamed", 8], ["Karim", 5],
  ["Mehdi", 5], ["Yanis", 6],
  ["Jean-Pierre", 12], ["Jean-Claude", 10], ["Jean-Luc", 8], ["Jean-François", 8], ["Jean-Marc", 7],
  ["Jean-Michel", 7], ["Jean-Louis", 5], ["Jean-Paul", 5], ["Pierre-Yves", 4], ["Jean-Baptiste", 6],
  ["Jean-Jacques", 3], ["Pierre-Louis", 3],
];

/** Conventional initials for compound names (JP, JC, MC…), used by the abbreviation dirt. */
export function initials(compound: string): string {
  return compound
    .split("-")
    .map((p) => p[0] ?? "")
    .join("")
    .toUpperCase();
}

/** Surnames with rough INSEE-like frequency ranks: Martin is ~10× a tail name. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ["Martin", 100], ["Bernard", 55], ["Thomas", 50], ["Petit", 45], ["Robert", 45], ["Richard", 44],
  ["Durand", 42], ["Dubois", 42], ["Moreau", 40], ["Laurent", 38], ["Simon", 37], ["Michel", 36],
  ["Lefèvre", 34], ["Leroy", 33], ["Roux", 32], ["David", 32], ["Bertrand", 30], ["Morel", 30],
  ["Fournier", 29], ["Girard", 29], ["Bonnet", 28], ["Dupont", 28], ["Lambert", 27], ["Fontaine", 27],
  ["Rousseau", 26], ["Vincent", 26], ["Muller", 25], ["Lefebvre", 25], ["Faure", 25], ["André", 24],
  ["Mercier", 24], ["Blanc", 24], ["Guérin", 23], ["Boyer", 23], ["Garnier", 22], ["Chevalier", 22],
  ["François", 22], ["Legrand", 21], ["Gauthier", 21], ["Garcia", 21], ["Perrin", 20], ["Robin", 20],
  ["Clément", 20], ["Morin", 20], ["Nicolas", 19], ["Henry", 19], ["Roussel", 19], ["Mathieu", 19],
  ["Gautier", 18], ["Masson", 18], ["Marchand", 18], ["Duval", 18], ["Denis", 18], ["Dumont", 17],
  ["Marie", 17], ["Lemaire", 17], ["Noël", 16], ["Meyer", 16], ["Dufour", 16], ["Meunier", 16],
  ["Brun", 16], ["Blanchard", 15], ["Giraud", 15], ["Joly", 15], ["Rivière", 15], ["Lucas", 15],
  ["Brunet", 14], ["Gaillard", 14], ["Barbier", 14], ["Arnaud", 14], ["Martinez", 14], ["Gérard", 13],
  ["Roche", 13], ["Renard", 13], ["Schmitt", 13], ["Roy", 13], ["Leroux", 13], ["Colin", 12],
  ["Vidal", 12], ["Caron", 12], ["Picard", 12], ["Roger", 12], ["Fabre", 12], ["Aubert", 11],
  ["Lemoine", 11], ["Renaud", 11], ["Dumas", 11], ["Lacroix", 11], ["Olivier", 11], ["Philippe", 10],
  ["Bourgeois", 10], ["Pierre", 10], ["Benoît", 10], ["Rey", 10], ["Leclerc", 10], ["Payet", 10],
  ["Rolland", 9], ["Leclercq", 9], ["Guillaume", 9], ["Lecomte", 9], ["Lopez", 9], ["Jean", 9],
  ["Dupuy", 9], ["Guillot", 9], ["Hubert", 9], ["Berger", 9], ["Carpentier", 8], ["Sanchez", 8],
  ["Dupuis", 8], ["Moulin", 8], ["Louis", 8], ["Deschamps", 8], ["Huet", 8], ["Vasseur", 8],
  ["Perez", 8], ["Boucher", 8], ["Fleury", 8], ["Royer", 8], ["Klein", 7], ["Jacquet", 7],
  ["Adam", 7], ["Paris", 7], ["Poirier", 7], ["Marty", 7], ["Aubry", 7], ["Guyot", 7], ["Carré", 7],
  ["Charles", 7], ["Renault", 7], ["Charpentier", 7], ["Ménard", 7], ["Maillard", 7], ["Baron", 6],
  ["Bertin", 6], ["Bailly", 6], ["Hervé", 6], ["Schneider", 6], ["Fernandez", 6], ["Le Gall", 6],
  ["Collet", 6], ["Léger", 6], ["Bouvier", 6], ["Julien", 6], ["Prévost", 6], ["Millet", 6],
  ["Perrot", 6], ["Daniel", 5], ["Le Roux", 5], ["Cousin", 5], ["Germain", 5], ["Breton", 5],
  ["Besson", 5], ["Langlois", 5], ["Rémy", 5], ["Le Goff", 5], ["Pelletier", 5], ["Lévêque", 5],
  ["Perrier", 5], ["Leblanc", 5], ["Barré", 5], ["Lebrun", 5], ["Marchal", 5], ["Weber", 5],
  ["Mallet", 5], ["Hamon", 5], ["Boulanger", 5], ["Jacob", 5], ["Monnier", 5], ["Michaud", 5],
  ["Rodriguez", 5], ["Guichard", 4], ["Gillet", 4], ["Étienne", 4], ["Grondin", 4], ["Poulain", 4],
  ["Tessier", 4], ["Chevallier", 4], ["Collin", 4], ["Chauvin", 4], ["Da Silva", 4], ["Bouchet", 4],
  ["Gay", 4], ["Lemaître", 4], ["Bénard", 4], ["Maréchal", 4], ["Humbert", 4], ["Reynaud", 4],
  ["Antoine", 4], ["Hoarau", 4], ["Perret", 4], ["Barthélemy", 4], ["Cordier", 4], ["Pichon", 4],
  ["Lejeune", 4], ["Gilbert", 4], ["Lamy", 4], ["Delaunay", 4], ["Pasquier", 4], ["Carlier", 4],
  ["Laporte", 4], ["Dos Santos", 3], ["Bœuf", 2], ["Lœillet", 1], ["Desmoulins", 3], ["Delacroix", 3],
  ["N'Diaye", 3], ["Diallo", 3], ["Nguyen", 4], ["Benali", 3], ["Haddad", 3], ["Bensaïd", 2],
  ["Kowalski", 2], ["Ferreira", 3], ["Gonçalves", 3], ["Rossi", 3], ["Ruiz", 3], ["Lefèbvre", 2],
  ["Dupré", 3], ["Joubert", 3], ["Tanguy", 3], ["Le Bihan", 2], ["Kerjean", 1], ["Quéré", 2],
];
