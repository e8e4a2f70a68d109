/**
 * Mexican metropolitan zones with some of their states and municipalities, population universes
 * rounded from the 2020 census, and the furniture the planning tool exports. Names are written
 * without accents, as the real exports write them (`Ciudad de Mexico`, `Benito Juarez`).
 */
export type Zone = {
  zm: string
  code: string
  universe: number
  weight: number
  places: readonly (readonly [estado: string, municipio: string])[]
}

export const ZONES: readonly Zone[] = [
  {
    zm: 'Valle de Mexico',
    code: 'VDM',
    universe: 21_804_000,
    weight: 40,
    places: [
      ['Ciudad de Mexico', 'Benito Juarez'], ['Ciudad de Mexico', 'Cuauhtemoc'], ['Ciudad de Mexico', 'Miguel Hidalgo'],
      ['Ciudad de Mexico', 'Alvaro Obregon'], ['Ciudad de Mexico', 'Coyoacan'], ['Ciudad de Mexico', 'Iztapalapa'],
      ['Ciudad de Mexico', 'Azcapotzalco'], ['Ciudad de Mexico', 'Cuajimalpa de Morelos'], ['Ciudad de Mexico', 'Tlalpan'],
      ['Mexico', 'Naucalpan de Juarez'], ['Mexico', 'Tlalnepantla de Baz'], ['Mexico', 'Ecatepec de Morelos'], ['Mexico', 'Huixquilucan']
    ]
  },
  { zm: 'Monterrey', code: 'MTY', universe: 5_341_000, weight: 12, places: [['Nuevo Leon', 'Monterrey'], ['Nuevo Leon', 'San Pedro Garza Garcia'], ['Nuevo Leon', 'Guadalupe'], ['Nuevo Leon', 'Apodaca'], ['Nuevo Leon', 'San Nicolas de los Garza']] },
  { zm: 'Guadalajara', code: 'GDL', universe: 5_269_000, weight: 12, places: [['Jalisco', 'Guadalajara'], ['Jalisco', 'Zapopan'], ['Jalisco', 'Tlaquepaque'], ['Jalisco', 'Tonala']] },
  { zm: 'Puebla-Tlaxcala', code: 'PUE', universe: 3_200_000, weight: 6, places: [['Puebla', 'Puebla'], ['Puebla', 'San Andres Cholula'], ['Tlaxcala', 'Zacatelco']] },
  { zm: 'Toluca', code: 'TOL', universe: 2_354_000, weight: 4, places: [['Mexico', 'Toluca'], ['Mexico', 'Metepec']] },
  { zm: 'Tijuana', code: 'TIJ', universe: 2_158_000, weight: 4, places: [['Baja California', 'Tijuana'], ['Baja California', 'Playas de Rosarito']] },
  { zm: 'Leon', code: 'LEO', universe: 1_925_000, weight: 3, places: [['Guanajuato', 'Leon'], ['Guanajuato', 'Silao de la Victoria']] },
  { zm: 'Queretaro', code: 'QRO', universe: 1_594_000, weight: 4, places: [['Queretaro', 'Queretaro'], ['Queretaro', 'Corregidora'], ['Queretaro', 'El Marques']] },
  { zm: 'Juarez', code: 'CJS', universe: 1_512_000, weight: 2, places: [['Chihuahua', 'Juarez']] },
  { zm: 'Merida', code: 'MID', universe: 1_316_000, weight: 3, places: [['Yucatan', 'Merida'], ['Yucatan', 'Kanasin']] },
  { zm: 'San Luis Potosi', code: 'SLP', universe: 1_244_000, weight: 2, places: [['San Luis Potosi', 'San Luis Potosi'], ['San Luis Potosi', 'Soledad de Graciano Sanchez']] },
  { zm: 'Aguascalientes', code: 'AGS', universe: 1_141_000, weight: 2, places: [['Aguascalientes', 'Aguascalientes'], ['Aguascalientes', 'Jesus Maria']] },
  { zm: 'Mexicali', code: 'MXL', universe: 1_050_000, weight: 2, places: [['Baja California', 'Mexicali']] },
  { zm: 'Chihuahua', code: 'CUU', universe: 988_000, weight: 2, places: [['Chihuahua', 'Chihuahua'], ['Chihuahua', 'Aldama']] },
  { zm: 'Hermosillo', code: 'HMO', universe: 936_000, weight: 2, places: [['Sonora', 'Hermosillo']] },
  { zm: 'Cancun', code: 'CUN', universe: 934_000, weight: 3, places: [['Quintana Roo', 'Benito Juarez'], ['Quintana Roo', 'Isla Mujeres']] },
  { zm: 'Veracruz', code: 'VER', universe: 939_000, weight: 2, places: [['Veracruz', 'Veracruz'], ['Veracruz', 'Boca del Rio']] }
]

/** Furniture type, how often it appears, and whether it is Digital or Tradicional (some come in both). */
export const FURNITURE: readonly (readonly [mueble: string, weight: number, digitalShare: number])[] = [
  ['Relojes', 30, 0.5],
  ['Vallas', 25, 0.1],
  ['Espectacular o Cartelera', 15, 0.15],
  ['Muros', 14, 0.05],
  ['Pantalla Digital', 12, 1],
  ['Kiosko', 3, 0.3],
  ['Parabus', 6, 0.25],
  ['Puente Peatonal', 3, 0]
]

// Typical audience profiles (AMAI NSE, age bands, gender) around which shares are drawn.
export const NSE_PROFILE = { ab: 0.17, cmas: 0.24, c: 0.2, dmas: 0.24, d: 0.1, e: 0.01 }
export const AGE_PROFILE = [0.18, 0.07, 0.08, 0.17, 0.16, 0.24, 0.1] as const
export const GENDER_PROFILE = [0.49, 0.51] as const

/** An average weekday traffic curve, hour 00 to 23, scaled per campaign. */
export const HOURLY_SHAPE = [
  0.22, 0.18, 0.14, 0.12, 0.14, 0.2, 0.38, 0.62, 0.8, 0.86, 0.9, 0.88,
  0.9, 0.9, 0.91, 0.9, 0.88, 0.92, 0.95, 0.85, 0.66, 0.5, 0.38, 0.3
] as const
