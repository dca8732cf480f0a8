/**
 * Municipal districts (городские округа) of the Moscow Region with their main town. Venue
 * counts follow the districts' rough size (big rural districts have many village houses of
 * culture), summing to more than 1,200. `priceFactor` makes halls near Moscow dearer.
 * The order is part of the catalog: district ids are positions in this list (1-based).
 */
export interface DistrictSpec {
  name: string;
  slug: string;
  /** Main town as written in an address, with its kind: «г. Дмитров», «р. п. Лотошино». */
  town: string;
  phoneCode: '495' | '496' | '498';
  venueCount: number;
  priceFactor: number;
}

const spec = (
  name: string,
  slug: string,
  town: string,
  phoneCode: DistrictSpec['phoneCode'],
  venueCount: number,
  priceFactor: number,
): DistrictSpec => ({ name, slug, town, phoneCode, venueCount, priceFactor });

export const DISTRICTS: readonly DistrictSpec[] = [
  spec('Балашиха', 'balashikha', 'г. Балашиха', '495', 34, 1.3),
  spec('Богородский', 'bogorodsky', 'г. Ногинск', '496', 44, 1.0),
  spec('Волоколамский', 'volokolamsky', 'г. Волоколамск', '496', 26, 0.8),
  spec('Воскресенск', 'voskresensk', 'г. Воскресенск', '496', 28, 0.9),
  spec('Дмитровский', 'dmitrovsky', 'г. Дмитров', '496', 48, 1.0),
  spec('Долгопрудный', 'dolgoprudny', 'г. Долгопрудный', '495', 8, 1.3),
  spec('Домодедово', 'domodedovo', 'г. Домодедово', '496', 34, 1.1),
  spec('Дубна', 'dubna', 'г. Дубна', '496', 10, 0.9),
  spec('Егорьевск', 'egoryevsk', 'г. Егорьевск', '496', 30, 0.8),
  spec('Жуковский', 'zhukovsky', 'г. Жуковский', '495', 9, 1.2),
  spec('Зарайск', 'zaraysk', 'г. Зарайск', '496', 18, 0.7),
  spec('Истра', 'istra', 'г. Истра', '498', 40, 1.1),
  spec('Кашира', 'kashira', 'г. Кашира', '496', 22, 0.8),
  spec('Клин', 'klin', 'г. Клин', '496', 36, 0.9),
  spec('Коломна', 'kolomna', 'г. Коломна', '496', 38, 0.9),
  spec('Королёв', 'korolyov', 'г. Королёв', '495', 14, 1.3),
  spec('Красногорск', 'krasnogorsk', 'г. Красногорск', '495', 26, 1.4),
  spec('Ленинский', 'leninsky', 'г. Видное', '495', 24, 1.3),
  spec('Лобня', 'lobnya', 'г. Лобня', '495', 7, 1.2),
  spec('Лотошино', 'lotoshino', 'р. п. Лотошино', '496', 14, 0.7),
  spec('Луховицы', 'lukhovitsy', 'г. Луховицы', '496', 22, 0.7),
  spec('Лыткарино', 'lytkarino', 'г. Лыткарино', '495', 6, 1.2),
  spec('Люберцы', 'lyubertsy', 'г. Люберцы', '495', 24, 1.3),
  spec('Можайский', 'mozhaysky', 'г. Можайск', '496', 34, 0.8),
  spec('Мытищи', 'mytishchi', 'г. Мытищи', '495', 28, 1.3),
  spec('Наро-Фоминский', 'naro-fominsky', 'г. Наро-Фоминск', '496', 40, 1.0),
  spec('Одинцовский', 'odintsovsky', 'г. Одинцово', '495', 52, 1.4),
  spec('Орехово-Зуевский', 'orekhovo-zuyevsky', 'г. Орехово-Зуево', '496', 36, 0.9),
  spec('Павлово-Посадский', 'pavlovo-posadsky', 'г. Павловский Посад', '496', 22, 0.8),
  spec('Подольск', 'podolsk', 'г. Подольск', '496', 40, 1.2),
  spec('Пушкинский', 'pushkinsky', 'г. Пушкино', '496', 30, 1.1),
  spec('Раменский', 'ramensky', 'г. Раменское', '496', 50, 1.1),
  spec('Реутов', 'reutov', 'г. Реутов', '495', 6, 1.3),
  spec('Рузский', 'ruzsky', 'г. Руза', '496', 28, 0.8),
  spec('Сергиево-Посадский', 'sergiyevo-posadsky', 'г. Сергиев Посад', '496', 48, 0.9),
  spec('Серебряные Пруды', 'serebryanye-prudy', 'р. п. Серебряные Пруды', '496', 16, 0.7),
  spec('Серпухов', 'serpukhov', 'г. Серпухов', '496', 34, 0.9),
  spec('Солнечногорск', 'solnechnogorsk', 'г. Солнечногорск', '496', 32, 1.0),
  spec('Ступино', 'stupino', 'г. Ступино', '496', 34, 0.9),
  spec('Талдомский', 'taldomsky', 'г. Талдом', '496', 20, 0.7),
  spec('Химки', 'khimki', 'г. Химки', '495', 22, 1.4),
  spec('Чехов', 'chekhov', 'г. Чехов', '496', 34, 0.9),
  spec('Шатура', 'shatura', 'г. Шатура', '496', 26, 0.7),
  spec('Шаховская', 'shakhovskaya', 'р. п. Шаховская', '496', 16, 0.7),
  spec('Щёлково', 'shchyolkovo', 'г. Щёлково', '496', 36, 1.1),
  spec('Электросталь', 'elektrostal', 'г. Электросталь', '496', 10, 1.0),
];
