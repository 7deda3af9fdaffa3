#pragma once
// Names for the synthetic demo school: the mix of origins a volunteer-run
// coding school for refugees and career changers tends to have.

#include <array>
#include <string_view>

namespace imhere::server::cli {

inline constexpr std::array<std::string_view, 48> k_givenNames{
    "Amina",   "Yusuf",   "Zoë",     "Tomás",   "Fatima",  "Dawit",   "Leila",   "Mohammed", "Hana",    "Kwame",
    "Ioana",   "Samir",   "Grace",   "Oleksandr", "Mariam", "Chen",   "Nadia",   "Ibrahim",  "Sofia",   "Tariq",
    "Aisha",   "Mateusz", "Priya",   "Abdi",    "Elena",   "Hassan",  "Rahel",   "Kofi",     "Lina",    "Arash",
    "Yasmin",  "Jonas",   "Selam",   "Omar",    "Beatriz", "Nikolai", "Zainab",  "Emeka",    "Farah",   "Luis",
    "Mei",     "Ahmad",   "Chiara",  "Bilal",   "Noor",    "Diego",   "Esra",    "Kemal"};

inline constexpr std::array<std::string_view, 40> k_familyNames{
    "Ahmed",   "Okafor",  "Nguyen",  "Haddad",   "Tesfaye", "Kowalski", "Ağaoğlu", "O'Neill",  "Mensah",  "Popescu",
    "Rahimi",  "Silva",   "Hussein", "Kovalenko", "Yilmaz", "Abdullah", "Mekonnen", "Osei",    "Farouk",  "Ivanova",
    "Karimi",  "Suleiman", "Costa",  "Bekele",   "Novak",   "Mahmoud",  "Chowdhury", "Adeyemi", "Zhang",  "Hosseini",
    "Ali",     "Kaya",    "Moreno",  "Diallo",   "Petrov",  "Sato",     "Berhane", "Quraishi",  "Lopez",   "Ismail"};

} // namespace imhere::server::cli
